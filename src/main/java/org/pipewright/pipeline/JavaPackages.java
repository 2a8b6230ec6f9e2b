package org.pipewright.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.pipewright.FieldError;

/**
 * Which classes a {@code java:} job may name: those of the configured packages only. A worker loads
 * and runs any class implementing the SDK's {@code Job} it can find, so without this a definition
 * could run a class that happens to be on its class path for another purpose.
 */
final class JavaPackages {

  private final List<String> prefixes;

  JavaPackages(List<String> packages) {
    this.prefixes = packages.stream().map(name -> name + ".").toList();
  }

  boolean allows(String className) {
    return prefixes.stream().anyMatch(className::startsWith);
  }

  /** Refuses the definition when a task names a class of another package; lists every one. */
  void check(PipelineDefinition definition) {
    List<FieldError> errors = new ArrayList<>();
    List<TaskDefinition> tasks = definition.tasks();
    for (int i = 0; i < tasks.size(); i++) {
      if (tasks.get(i).action() instanceof Action.JavaJob job && !allows(job.className())) {
        errors.add(
            new FieldError(
                Errors.field(Errors.index("tasks", i), "java"),
                "class "
                    + job.className()
                    + " is not in a package this service runs Java jobs from ("
                    + String.join(", ", prefixes.stream().map(p -> p + "*").toList())
                    + "; see pipewright.pipelines.java-packages)"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidDefinitionException(errors);
    }
  }
}
