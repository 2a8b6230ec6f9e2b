package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pipewright.worker.runtime.Specs.aJavaJob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.examples.NoopJob;
import org.pipewright.examples.SharedLogJob;

class JavaJobTests {

  @TempDir Path temp;
  Rig rig;

  @BeforeEach
  void rig() {
    rig = new Rig(temp, 300);
  }

  @AfterEach
  void close() {
    rig.close();
  }

  @Test
  void javaJobThatWritesItsOutputsSucceeds() {
    Completion completion = rig.run(aJavaJob(NoopJob.class).outputs("a", "sub/b"));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(completion.exitCode()).isZero();
    assertThat(rig.file("a")).isEmptyFile();
    assertThat(rig.file("sub/b")).isEmptyFile();
  }

  @Test
  void javaJobThatLogsNothingCallsNoLogAndLeavesNoLogFolder() {
    rig.run(aJavaJob(NoopJob.class).outputs("a"));

    assertThat(rig.controlPlane.logCalls).isEmpty();
    assertThat(rig.file("/.pipewright/runs/5/task/1")).doesNotExist();
  }

  @Test
  void theContextNamesTheJobAndItsAbsolutePaths() {
    rig.write("in.txt", "");
    Completion completion =
        rig.run(
            aJavaJob(TestJobs.Describing.class)
                .id(12, 3)
                .inputs("in.txt")
                .outputs("out.txt")
                .extras("x", "y"));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
    Path workdir = rig.file(".").normalize();
    assertThat(rig.read("out.txt").lines())
        .containsExactly(
            "pipeline",
            "task",
            "5",
            "12",
            "3",
            workdir.toString(),
            List.of(workdir.resolve("in.txt")).toString(),
            List.of(workdir.resolve("out.txt")).toString(),
            "[x, y]",
            workdir.resolve("in.txt").toString());
  }

  @Test
  void javaJobThatThrowsFailsWithTheExceptionsClassAndMessageAndLogsItsStackTrace() {
    Completion completion = rig.run(aJavaJob(TestJobs.Failing.class).id(3, 1));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.exitCode()).isNull();
    assertThat(completion.error())
        .isEqualTo("java.lang.IllegalStateException: the input was empty");
    assertThat(rig.controlPlane.recordsOf(3))
        .singleElement()
        .satisfies(r -> {
          assertThat(r).containsEntry("level", "ERROR");
          assertThat((String) r.get("message"))
              .startsWith("job failed\njava.lang.IllegalStateException: the input was empty\n")
              .contains("at " + TestJobs.Failing.class.getName() + ".run");
        });
  }

  @Test
  void javaJobWithoutItsDeclaredOutputFails() {
    Completion completion = rig.run(aJavaJob(NoopJob.class).outputs("a").checkOutputs("a", "b"));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.error()).isEqualTo("declared output b was not produced");
  }

  @Test
  void aClassThatIsNoJobFails() {
    Completion completion = rig.run(aJavaJob(TestJobs.NotAJob.class));

    assertThat(completion.error())
        .isEqualTo(TestJobs.NotAJob.class.getName() + " does not implement org.pipewright.sdk.Job");
  }

  @Test
  void aClassThatCannotBeFoundFails() {
    Completion completion = rig.run(aJavaJob("com.example.Missing"));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.error())
        .isEqualTo("class com.example.Missing not found on the worker's class path");
  }

  @Test
  void aJobClassNeedsAConstructorWithoutArguments() {
    Completion completion = rig.run(aJavaJob(TestJobs.NeedsArgument.class));

    assertThat(completion.error()).endsWith("has no public constructor without arguments");
  }

  @Test
  void everyLogCallIsOneRecordWithItsLevelTimeAndIdsAndAStackTraceWithItsCauses() {
    Completion completion = rig.run(aJavaJob(TestJobs.Logging.class).id(8, 2));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
    List<Map<String, Object>> records = rig.controlPlane.recordsOf(8);
    assertThat(records)
        .extracting(r -> r.get("level"))
        .containsExactly("DEBUG", "INFO", "WARN", "ERROR", "INFO");
    assertThat(records).extracting(r -> r.get("seq")).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(records)
        .allSatisfy(r ->
            assertThat(r)
                .containsEntry("source", "worker-17")
                .containsEntry("runId", 5L)
                .containsEntry("jobId", 8L)
                .doesNotContainKey("stream")
                .hasEntrySatisfying(
                    "time",
                    time ->
                        assertThat((String) time)
                            .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z")));
    assertThat(records.subList(0, 3))
        .extracting(r -> r.get("message"))
        .containsExactly("debug line", "info line", "warn line");
    assertThat((String) records.get(3).get("message"))
        .startsWith("error line\njava.lang.IllegalArgumentException: why\n")
        .contains("\tat " + TestJobs.Logging.class.getName() + ".run")
        .contains("Caused by: java.lang.IllegalStateException: because");
  }

  @Test
  void aMessageLongerThanTheSharedLogKeepsIsCutWithAMarkerThatSaysHowMuch() {
    rig.run(aJavaJob(TestJobs.Logging.class).id(8, 2));

    String message = (String) rig.controlPlane.recordsOf(8).get(4).get("message");
    assertThat(message).hasSize(LogText.MAX_CHARS);
    int kept = message.indexOf("... [truncated ");
    assertThat(message.substring(0, kept)).matches("x+");
    assertThat(message).endsWith("... [truncated " + (TestJobs.LONG_MESSAGE - kept) + " chars]");
  }

  @Test
  void cancelInterruptsAJavaJob() {
    Rig.Running running = rig.start(aJavaJob(TestJobs.Sleeping.class));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(rig.file("started")));

    running.attempt().cancel("test");

    Completion completion = running.completion();
    assertThat(running.attempt().cancelled()).isTrue();
    assertThat(completion.error()).startsWith("java.lang.InterruptedException");
  }

  @Test
  void aJavaJobThatIgnoresItsInterruptIsGivenUpOn() {
    Rig.Running running = rig.start(aJavaJob(TestJobs.Stubborn.class).id(6, 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(rig.file("started")));

    running.attempt().cancel("test");

    assertThat(running.failure())
        .isInstanceOf(JobWouldNotStopException.class)
        .hasMessageContaining("job 6 attempt 1")
        .hasMessageContaining("did not stop within 300 ms");
  }

  @Test
  void theJobAfterOneThatWouldNotStopRunsOnAFreshThread() {
    Rig.Running stubborn = rig.start(aJavaJob(TestJobs.Stubborn.class).id(6, 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(rig.file("started")));
    stubborn.attempt().cancel("test");
    assertThat(stubborn.failure()).isInstanceOf(JobWouldNotStopException.class);

    Completion next = rig.run(aJavaJob(NoopJob.class).id(7, 1).outputs("a"));

    assertThat(next.outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void aCancelThatComesAfterItsJobEndedDoesNotInterruptTheNextJob() throws Exception {
    Rig.Running first = rig.start(aJavaJob(NoopJob.class).id(1, 1).outputs("a"));
    assertThat(first.completion().outcome()).isEqualTo(Outcome.SUCCEEDED);
    Rig.Running second = rig.start(aJavaJob(TestJobs.Sleeping.class).id(2, 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(rig.file("started")));

    first.attempt().cancel("late");

    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !second.done().isDone());
    second.attempt().cancel("test");
    assertThat(second.completion().error()).startsWith("java.lang.InterruptedException");
  }

  @Test
  void sharedLogJobWritesAHundredNumberedLinesAndLogsUnderTheLoggingLock() {
    Completion completion = rig.run(aJavaJob(SharedLogJob.class).id(1, 1).outputs("a.1"));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
    List<String> lines = rig.read("a.1").lines().toList();
    assertThat(lines).hasSize(100);
    assertThat(lines.get(0)).isEqualTo("line 1");
    assertThat(lines.get(99)).isEqualTo("line 100");
    List<Map<String, Object>> records = rig.controlPlane.recordsOf(1);
    assertThat(records).extracting(r -> r.get("level")).containsExactly("DEBUG", "INFO");
    assertThat((String) records.get(0).get("message"))
        .matches("task1, process name = " + ProcessHandle.current().pid() + "@\\S+");
    assertThat(records.get(1)).containsEntry("message", "task1 writes 100 lines to a.1");
    assertThat(records).allSatisfy(r -> assertThat(r).containsEntry("lock", "logging"));
    assertThat(rig.controlPlane.holder("logging")).isNull();
  }
}
