package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pipewright.worker.runtime.Specs.aShellJob;

import java.nio.file.Files;
import java.nio.file.Path;
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

  /** The processes whose command line holds {@code marker}: what a job left behind. */
  static long running(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .filter(ProcessTree::alive)
        .count();
  }

  @Test
  void aJobThatForksUntilItIsStoppedIsKilledAndFailsOnceItRunsMoreThanItsLimit() throws Exception {
    rig = new Rig(temp, new JobLimits(50, JobLimits.DEFAULT_MAX_OUTPUT_BYTES));

    // Bounded, so that this test's worker (which sees only descendants, below) cannot be outrun by
    // the loop on a loaded machine; the unbounded loop runs on real workers in HostileJobsTests.
    Completion completion =
        rig.run(
            aShellJob("i=0; while [ $i -lt 400 ]; do sleep 61.25 & i=$((i+1)); done; wait")
                .id(1, 1));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.error())
        .isEqualTo(
            "ran more than 50 processes at once (pipewright.workers.max-job-processes); it was"
                + " killed");
    // This test's JVM shares its session with the build, so the worker here finds the job's
    // processes as descendants only: a sleep whose loop was killed as it forked it may be left.
    // A real worker leads a session of its own and leaves none (HostileJobsTests).
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("sleep 61.25"))
        .forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void aJobThatWritesWithoutEndIsKilledOnceItsOutputPassesTheLimit() throws Exception {
    rig = new Rig(temp, new JobLimits(JobLimits.DEFAULT_MAX_PROCESSES, 1 << 20));

    // Lines of 201 bytes: what is forwarded of the first MiB to the (test's) shared log is quick.
    Completion out = rig.run(aShellJob("yes $(printf %0200d 0)").id(3, 1));
    Completion err = rig.run(aShellJob("yes $(printf %0200d 0) >&2").id(4, 1));

    assertThat(out.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(out.error())
        .isEqualTo(
            "wrote more than 1048576 bytes to stdout (pipewright.workers.max-job-output); it was"
                + " killed");
    assertThat(err.error()).startsWith("wrote more than 1048576 bytes to stderr");
    assertThat(running("yes 0000000000")).as("processes left").isZero();
    Path stdout = rig.workspace.resolve(".pipewright/runs/5/task/3/attempt-1.stdout");
    assertThat(Files.size(stdout)).isGreaterThan(1 << 20).isLessThan(1L << 30);
  }
}
