package org.pipewright;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** What the package layout promises, checked on every build. */
@AnalyzeClasses(packages = "org.pipewright", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

  /** Everything in the control plane that a forked worker JVM must never load. */
  static final String[] CONTROL_PLANE = {
    "org.pipewright.pipeline..",
    "org.pipewright.plan..",
    "org.pipewright.run..",
    "org.pipewright.sharedlog..",
    "org.pipewright.lock..",
    "org.pipewright.store..",
    "org.pipewright.web..",
    "org.pipewright.dashboard..",
    "org.pipewright.metrics..",
    "org.pipewright.security..",
    // exactly these packages, not their subpackages: the worker's own side and the root
    "org.pipewright.worker",
    "org.pipewright"
  };

  @ArchTest
  static final ArchRule sdkHasNoSpringAndNoControlPlane =
      noClasses()
          .that()
          .resideInAPackage("org.pipewright.sdk..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework..", "tools.jackson..")
          .orShould()
          .dependOnClassesThat()
          .resideInAnyPackage(CONTROL_PLANE)
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule workerRuntimeHasNoSpringAndNoControlPlane =
      noClasses()
          .that()
          .resideInAPackage("org.pipewright.worker.runtime..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework..")
          .orShould()
          .dependOnClassesThat()
          .resideInAnyPackage(CONTROL_PLANE)
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule examplesUseOnlyTheSdk =
      noClasses()
          .that()
          .resideInAPackage("org.pipewright.examples..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework..", "org.pipewright.worker..")
          .orShould()
          .dependOnClassesThat()
          .resideInAnyPackage(CONTROL_PLANE)
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule planIsPure =
      noClasses()
          .that()
          .resideInAPackage("org.pipewright.plan..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework..", "org.pipewright.store..", "org.pipewright.web..")
          .allowEmptyShould(true);

  /** The shared log, the worker registry and the jobs use the locks; the locks use none of them. */
  @ArchTest
  static final ArchRule locksUseNoOtherCapability =
      noClasses()
          .that()
          .resideInAPackage("org.pipewright.lock..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.pipewright.pipeline..",
              "org.pipewright.plan..",
              "org.pipewright.run..",
              "org.pipewright.worker..",
              "org.pipewright.sharedlog..",
              "org.pipewright.web..",
              "org.pipewright.dashboard..",
              "org.pipewright.metrics..",
              "org.pipewright.security..")
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule webAndDashboardNeverTouchTheStore =
      noClasses()
          .that()
          .resideInAnyPackage("org.pipewright.web..", "org.pipewright.dashboard..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.pipewright.store..")
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule onlyTheStoreNamesItsClasses =
      noClasses()
          .that()
          .resideOutsideOfPackage("org.pipewright.store..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.pipewright.store..");
}
