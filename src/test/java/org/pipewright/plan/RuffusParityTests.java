package org.pipewright.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential tests against Ruffus 2.8.4: each folder under {@code ruffus-parity/} holds one
 * pipeline written twice, as Pipewright YAML and as Ruffus decorators. Both run in fresh folders
 * from the same setup files, then again with nothing changed, then again after one file got newer;
 * every job records (task, inputs, outputs, extras), and the two sides must record the same jobs in
 * every phase and end with the same files.
 *
 * <p>Ruffus pauses 0.1 s before each task, so the Ruffus sides of all cases start together in
 * {@link #startRuffus()}; each case then waits for its own. Without {@code /usr/bin/python3} and
 * Ruffus 2.8.4 the cases are skipped, except under {@code CI=true}, where they fail.
 */
@DisplayName("Ruffus 2.8.4 parity")
class RuffusParityTests {

  @TempDir static Path temp;

  private static ExecutorService pool;
  private static final Map<String, Future<ParityPhases>> ruffus = new ConcurrentHashMap<>();

  private static Optional<String> unavailable = Optional.empty();

  @BeforeAll
  static void startRuffus() {
    unavailable = RuffusSide.unavailable();
    if (unavailable.isPresent()) {
      return;
    }
    pool = Executors.newFixedThreadPool(6);
    for (ParityCase c : ParityCase.all()) {
      ruffus.put(
          c.name(), pool.submit(() -> RuffusSide.run(c, temp.resolve("ruffus").resolve(c.name()))));
    }
  }

  /** Skips without Ruffus, except under CI, which installs python3-ruffus. */
  private static void requireRuffus() {
    if (unavailable.isEmpty()) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail(
          unavailable.get()
              + "; CI installs python3-ruffus, so a skip would hide every divergence");
    }
    Assumptions.abort(unavailable.get() + " (install python3-ruffus; under CI=true this fails)");
  }

  @AfterAll
  static void stopPool() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  static List<ParityCase> cases() {
    return ParityCase.all();
  }

  @ParameterizedTest(
      name = "{0}: Pipewright runs the jobs Ruffus runs, first, unchanged and after a touch")
  @MethodSource("cases")
  void pipewrightRunsTheJobsRuffusRuns(ParityCase c) throws Exception {
    requireRuffus();
    ParityPhases expected = ruffus.get(c.name()).get(2, TimeUnit.MINUTES);
    SoftAssertions soft = new SoftAssertions();
    try {
      compare(
          c, expected, PipewrightSide.run(c, temp.resolve("pipewright").resolve(c.name())), soft);
    } catch (RuntimeException | AssertionError e) {
      soft.fail("Pipewright could not run the case: " + e, e);
    }
    if (c.knownDivergence().isPresent()) {
      assertThat(soft.errorsCollected())
          .as("%s agrees with Ruffus now: delete its known-divergence.txt", c.name())
          .isNotEmpty();
      Assumptions.abort("known divergence: " + c.knownDivergence().get());
    }
    soft.assertAll();
  }

  private static void compare(
      ParityCase c, ParityPhases expected, ParityPhases actual, SoftAssertions soft) {
    soft.assertThat(expected.first()).as("Ruffus ran no job: the case tests nothing").isNotEmpty();
    soft.assertThat(actual.first())
        .as("jobs of the first run (Ruffus: %s)", expected.first())
        .containsExactlyInAnyOrderElementsOf(expected.first());
    soft.assertThat(actual.unchanged())
        .as("jobs run again with nothing changed (Ruffus: %s)", expected.unchanged())
        .containsExactlyInAnyOrderElementsOf(expected.unchanged());
    soft.assertThat(expected.unchanged())
        .as("Ruffus reran jobs that have outputs although nothing changed")
        .allMatch(j -> j.outputs().isEmpty());
    if (c.touched().isPresent()) {
      soft.assertThat(actual.touched())
          .as("jobs run after %s got newer (Ruffus: %s)", c.touched().get(), expected.touched())
          .containsExactlyInAnyOrderElementsOf(expected.touched());
      soft.assertThat(expected.touched())
          .as("Ruffus reran nothing after the touch: the phase tests nothing")
          .anyMatch(j -> !j.outputs().isEmpty());
    }
    soft.assertThat(actual.files())
        .as("files at the end")
        .containsExactlyElementsOf(expected.files());
  }

  @Test
  void everyCaseSaysWhichRuffusBehaviourItPins() throws IOException {
    List<ParityCase> all = ParityCase.all();
    assertThat(all).isNotEmpty();
    for (ParityCase c : all) {
      assertThat(Files.readString(c.dir().resolve("pipeline.py")))
          .as(c.name())
          .startsWith("# Pins: ");
    }
  }
}
