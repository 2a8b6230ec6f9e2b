package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pipewright.worker.runtime.Specs.aShellJob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real shell jobs that take too much of the host: a fork loop, endless output, lost children. */
class JobLimitsTests {

  @TempDir Path temp;
  Rig rig;

  @AfterEach
  void close() {
    if (rig != null) {
      rig.close();
    }
  }

  /** The job's session: its shell writes its pid (which is its session's id) to a file first. */
  long session(String file) throws Exception {
    Path written = rig.workspace.resolve("pipe").resolve(file);
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> Files.exists(written) ? Files.readString(written).strip() : "",
            text -> text.matches("[0-9]+"))
        .transform(Long::parseLong);
  }

  @Test
  void aJobThatForksUntilItIsStoppedIsKilledWithEveryProcessOnceItRunsMoreThanItsLimit()
      throws Exception {
    rig = new Rig(temp, new JobLimits(50, JobLimits.DEFAULT_MAX_OUTPUT_BYTES));

    Completion completion =
        rig.run(aShellJob("echo $$ > session; while true; do sleep 60 & done").id(1, 1));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.error())
        .isEqualTo(
            "ran more than 50 processes at once (pipewright.workers.max-job-processes); it was"
                + " killed");
    assertThat(ProcessTree.inSession(session("session"))).as("processes left").isZero();
  }

  @Test
  void cancellingAJobAlsoKillsTheProcessesWhoseParentDiedBeforeIt() throws Exception {
    rig = new Rig(temp, JobLimits.DEFAULT);
    // The subshell exits at once: its sleep is no longer anyone's descendant but init's.
    Rig.Running running =
        rig.start(aShellJob("echo $$ > session; (sleep 300 &); sleep 300").id(2, 1));
    long session = session("session");
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessTree.inSession(session) == 3);

    running.attempt().cancel("test");
    running.completion();

    assertThat(ProcessTree.inSession(session)).as("processes left").isZero();
  }

  @Test
  void aJobThatWritesWithoutEndIsKilledOnceItsOutputPassesTheLimit() throws Exception {
    rig = new Rig(temp, new JobLimits(JobLimits.DEFAULT_MAX_PROCESSES, 1 << 20));

    // Lines of 201 bytes: what is forwarded of the first MiB to the (test's) shared log is quick.
    Completion out = rig.run(aShellJob("echo $$ > session; yes $(printf %0200d 0)").id(3, 1));
    Completion err = rig.run(aShellJob("yes $(printf %0200d 0) >&2").id(4, 1));

    assertThat(out.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(out.error())
        .isEqualTo(
            "wrote more than 1048576 bytes to stdout (pipewright.workers.max-job-output); it was"
                + " killed");
    assertThat(err.error()).startsWith("wrote more than 1048576 bytes to stderr");
    assertThat(ProcessTree.inSession(session("session"))).isZero();
    Path stdout = rig.workspace.resolve(".pipewright/runs/5/task/3/attempt-1.stdout");
    assertThat(Files.size(stdout)).isGreaterThan(1 << 20).isLessThan(1L << 30);
  }
}
