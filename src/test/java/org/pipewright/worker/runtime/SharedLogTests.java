package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pipewright.worker.runtime.FakeControlPlane.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.examples.NoopJob;

/** What a real worker JVM sends to {@code POST /api/log} for the jobs it runs. */
class SharedLogTests {

  static final Duration BOUND = Duration.ofSeconds(15);

  @TempDir Path temp;

  @Test
  void aJavaJobsRecordsArriveWithItsRunAndJobBeforeItsCompletion() throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane(100, 15_000);
        WorkerProcess worker = WorkerProcess.start(temp, controlPlane.url(), Map.of())) {
      controlPlane.offer(job(3, "java", TestJobs.Logging.class.getName()));

      await().atMost(BOUND).until(() -> controlPlane.completionsOf(3).size() == 1);

      List<Map<String, Object>> records = controlPlane.recordsOf(3);
      assertThat(records)
          .extracting(r -> r.get("level"))
          .containsExactly("DEBUG", "INFO", "WARN", "ERROR", "INFO");
      assertThat(records)
          .allSatisfy(
              r -> assertThat(r).containsEntry("runId", 5L).containsEntry("source", "worker-17"));
      assertThat((String) records.get(3).get("message"))
          .startsWith("error line\njava.lang.IllegalArgumentException: why\n\tat ")
          .contains("Caused by: java.lang.IllegalStateException: because");
      assertThat((String) records.get(4).get("message"))
          .hasSize(LogText.MAX_CHARS)
          .endsWith(" chars]");
      assertThat(controlPlane.arrivals.lastIndexOf("record 3"))
          .isLessThan(controlPlane.arrivals.indexOf("completion 3"));
      leave(controlPlane, worker);
    }
  }

  @Test
  void aShellJobsOutputLinesArriveTaggedWithTheirStreamBeforeItsCompletion() throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane(100, 15_000);
        WorkerProcess worker = WorkerProcess.start(temp, controlPlane.url(), Map.of())) {
      controlPlane.offer(
          job(
              4,
              "shell",
              "printf 'out 1\\nout 2\\n'; printf 'err 1\\n' >&2;"
                  + " head -c 102400 /dev/zero | tr '\\0' x;"
                  + " printf '\\nbad \\377 byte\\n'; printf last"));

      await().atMost(BOUND).until(() -> controlPlane.completionsOf(4).size() == 1);

      List<Map<String, Object>> records = controlPlane.recordsOf(4);
      assertThat(records)
          .allSatisfy(r ->
              assertThat(r)
                  .containsEntry("level", "INFO")
                  .containsEntry("runId", 5L)
                  .containsEntry("jobId", 4L));
      assertThat(records)
          .filteredOn(r -> r.get("stream").equals("stderr"))
          .extracting(r -> r.get("message"))
          .containsExactly("err 1");
      List<String> out =
          records.stream()
              .filter(r -> r.get("stream").equals("stdout"))
              .map(r -> (String) r.get("message"))
              .toList();
      assertThat(out).hasSize(5);
      assertThat(out.subList(0, 2)).containsExactly("out 1", "out 2");
      assertThat(out.get(2)).hasSize(LogText.MAX_CHARS).startsWith("xxx").endsWith(" chars]");
      assertThat(out.subList(3, 5)).containsExactly("bad \uFFFD byte", "last");
      assertThat(controlPlane.arrivals.lastIndexOf("record 4"))
          .isLessThan(controlPlane.arrivals.indexOf("completion 4"));
      Path stdout = worker.workspace.resolve(".pipewright/runs/5/t/4/attempt-1.stdout");
      assertThat(Files.size(stdout)).isGreaterThan(102_400);
      leave(controlPlane, worker);
    }
  }

  @Test
  void aRunningShellJobsLinesArriveWhileItRunsAlsoAfterTheWorkerWasIdle() throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane(100, 15_000);
        WorkerProcess worker = WorkerProcess.start(temp, controlPlane.url(), Map.of())) {
      for (long id : new long[] {6, 7}) {
        controlPlane.offer(job(id, "shell", "echo early; sleep 4; echo late"));

        // Well before the job ends: forwarded by a look while it runs, not at its end.
        await()
            .atMost(Duration.ofMillis(2500))
            .until(() ->
                controlPlane.recordsOf(id).stream()
                    .anyMatch(r -> "early".equals(r.get("message"))));
        assertThat(controlPlane.completionsOf(id)).as("still running").isEmpty();
        await().atMost(BOUND).until(() -> controlPlane.completionsOf(id).size() == 1);
        // Long enough for the output's thread to go idle: the next job must wake it.
        Thread.sleep(3 * ShellOutput.POLL_MS);
      }
      leave(controlPlane, worker);
    }
  }

  @Test
  void jobsThatWriteNothingMakeNoLogCall() throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane(100, 15_000);
        WorkerProcess worker = WorkerProcess.start(temp, controlPlane.url(), Map.of())) {
      controlPlane.offer(
          job(1, "java", NoopJob.class.getName(), "a.out"), job(2, "shell", "echo x > b.out"));

      await().atMost(BOUND).until(() -> controlPlane.completions.size() == 2);
      leave(controlPlane, worker);

      assertThat(controlPlane.logCalls).isEmpty();
    }
  }

  private static void leave(FakeControlPlane controlPlane, WorkerProcess worker)
      throws InterruptedException {
    controlPlane.exit();
    assertThat(worker.process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS))
        .as(worker.log())
        .isTrue();
    assertThat(worker.process.exitValue()).as(worker.log()).isZero();
  }
}
