package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pipewright.worker.runtime.FakeControlPlane.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.examples.NoopJob;

/** A real worker JVM, forked, against a fake control plane that follows docs/worker-protocol.md. */
class WorkerProtocolTests {

  static final Duration BOUND = Duration.ofSeconds(15);

  @TempDir Path temp;

  @Test
  void aWorkerRegistersRunsWhatItLeasesReportsItObeysACancelAndLeavesOnExit() throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane(100, 15_000);
        WorkerProcess worker =
            WorkerProcess.start(
                temp,
                controlPlane.url(),
                WorkerProcess.env(
                    "PIPEWRIGHT_MAX_BATCH", "7",
                    "PIPEWRIGHT_CPUS", "3",
                    "PIPEWRIGHT_MEMORY_MB", "1234"))) {
      controlPlane.offer(
          job(1, "java", NoopJob.class.getName(), "a.out"), job(2, "shell", "exit 3", "b.out"));

      await().atMost(BOUND).until(() -> controlPlane.completions.size() >= 2);
      assertThat(controlPlane.registrations)
          .singleElement()
          .isEqualTo(
              Map.of(
                  "host",
                  WorkerMain.hostName(),
                  "pid",
                  worker.process.pid(),
                  "cpus",
                  3L,
                  "memoryMb",
                  1234L));
      assertThat(controlPlane.leases.get(0))
          .containsEntry("max", 7L)
          .containsEntry("waitMs", 2000L);
      assertThat(controlPlane.completionsOf(1))
          .first()
          .satisfies(c ->
              assertThat(c)
                  .containsEntry("attempt", 1L)
                  .containsEntry("token", "attempt-1")
                  .containsEntry("outcome", "SUCCEEDED")
                  .containsEntry("exitCode", 0L)
                  .containsEntry("error", null));
      assertThat(controlPlane.completionsOf(2))
          .first()
          .satisfies(c ->
              assertThat(c)
                  .containsEntry("outcome", "FAILED")
                  .containsEntry("exitCode", 3L)
                  .containsEntry("error", "exit code 3"));
      assertThat(worker.workspace.resolve("p/a.out")).exists();

      controlPlane.offer(job(3, "shell", "sleep 300 & sleep 300"));
      await().atMost(BOUND).until(() -> worker.jobPid() > 0);
      List<ProcessHandle> tree = treeOf(worker.jobPid());
      await().atMost(BOUND).until(() -> controlPlane.reportedRunning(3));

      controlPlane.cancel(3, 1);

      await().atMost(BOUND).until(() -> tree.stream().noneMatch(ProcessTree::alive));
      assertThat(worker.shellPidFiles())
          .as("the shell that ran it stays for the next job, with its pid file")
          .hasSize(1);

      controlPlane.exit();

      assertThat(worker.process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS))
          .as(worker.log())
          .isTrue();
      assertThat(worker.process.exitValue()).as(worker.log()).isEqualTo(0);
      assertThat(worker.shellPidFiles()).as("deleted as the worker exited").isEmpty();
      assertThat(controlPlane.completionsOf(3)).isEmpty();
      assertThat(controlPlane.wrongTokens).isEmpty();
      assertThat(worker.log()).contains("cancelled job 3 attempt 1").doesNotContain("ERROR");
    }
  }

  @Test
  void aWorkerThatCannotReachTheControlPlaneKillsItsJobAndExits() throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane(100, 60_000);
        WorkerProcess worker =
            WorkerProcess.start(
                temp, controlPlane.url(), WorkerProcess.env("PIPEWRIGHT_UNREACHABLE_MS", "1500"))) {
      controlPlane.offer(job(1, "shell", "sleep 300 & sleep 300"));
      await().atMost(BOUND).until(() -> worker.jobPid() > 0);
      List<ProcessHandle> tree = treeOf(worker.jobPid());

      controlPlane.stop();

      assertThat(worker.process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS))
          .as(worker.log())
          .isTrue();
      assertThat(worker.process.exitValue()).isEqualTo(ExitCode.UNREACHABLE.status);
      assertThat(tree).noneMatch(ProcessTree::alive);
      assertThat(worker.shellPidFiles()).as("deleted as the worker exited").isEmpty();
      assertThat(worker.log()).contains("no answer from the control plane for 1500 ms");
    }
  }

  @Test
  void aWorkerDeclaredLostKillsItsJobAndExits() throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane(100, 15_000);
        WorkerProcess worker = WorkerProcess.start(temp, controlPlane.url(), Map.of())) {
      controlPlane.offer(job(1, "shell", "sleep 300 & sleep 300"));
      await().atMost(BOUND).until(() -> worker.jobPid() > 0);
      List<ProcessHandle> tree = treeOf(worker.jobPid());

      controlPlane.heartbeatStatus(409);

      assertThat(worker.process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(worker.process.exitValue()).isEqualTo(ExitCode.LOST.status);
      assertThat(tree).noneMatch(ProcessTree::alive);
      assertThat(controlPlane.completionsOf(1)).isEmpty();
    }
  }

  @Test
  void withoutASuccessfulHeartbeatForTheLeaseAWorkerKillsItsJobDropsItsLeasedOnesAndCarriesOn()
      throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane(100, 1_000);
        WorkerProcess worker = WorkerProcess.start(temp, controlPlane.url(), Map.of())) {
      controlPlane.offer(
          job(1, "shell", "sleep 300 & sleep 300"), job(2, "shell", "echo x > two", "two"));
      await().atMost(BOUND).until(() -> worker.jobPid() > 0);
      List<ProcessHandle> tree = treeOf(worker.jobPid());

      controlPlane.heartbeatStatus(503);

      await().atMost(BOUND).until(() -> tree.stream().noneMatch(ProcessTree::alive));
      int leasesBefore = controlPlane.leases.size();
      await().atMost(BOUND).until(() -> controlPlane.leases.size() > leasesBefore);
      assertThat(worker.process.isAlive()).isTrue();
      assertThat(worker.workspace.resolve("p/two")).doesNotExist();
      assertThat(controlPlane.completions).isEmpty();
      assertThat(worker.log()).contains("no successful heartbeat within the lease");

      controlPlane.heartbeatStatus(200);
      controlPlane.offer(job(3, "shell", "echo x > three", "three"));
      await().atMost(BOUND).until(() -> controlPlane.completionsOf(3).size() == 1);
    }
  }

  @Test
  void aJobThatEndedBeforeItsLeaseLapsedIsStillReportedWithItsLogOnceTheControlPlaneAnswers()
      throws Exception {
    // The control plane away for longer than the lease, as in a slow restart: the job had ended
    // and only its log and its report were waiting. Dropping them would run it a second time.
    try (FakeControlPlane controlPlane = new FakeControlPlane(100, 1_000);
        WorkerProcess worker = WorkerProcess.start(temp, controlPlane.url(), Map.of())) {
      controlPlane.logDown(true);
      controlPlane.offer(job(1, "shell", "echo before-the-lapse; echo x > one", "one"));
      await().atMost(BOUND).until(() -> Files.exists(worker.workspace.resolve("p/one")));
      controlPlane.heartbeatStatus(503);
      await()
          .atMost(BOUND)
          .until(() -> worker.log().contains("no successful heartbeat within the lease"));

      controlPlane.heartbeatStatus(200);
      controlPlane.logDown(false);

      await().atMost(BOUND).until(() -> controlPlane.completionsOf(1).size() == 1);
      assertThat(controlPlane.recordsOf(1))
          .extracting(r -> r.get("message"))
          .contains("before-the-lapse");
    }
  }

  @Test
  void aWorkerKilledWithSigkillLeavesItsShellsPidFileFromWhichTheLauncherKillsItsJob()
      throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane(100, 15_000);
        WorkerProcess worker = WorkerProcess.start(temp, controlPlane.url(), Map.of())) {
      // The job's second process leaves the worker's session, out of reach of a session sweep.
      controlPlane.offer(job(1, "shell", "setsid sleep 300 & sleep 300"));
      await().atMost(BOUND).until(() -> worker.jobPid() > 0);
      List<ProcessHandle> tree = treeOf(worker.jobPid());
      assertThat(tree).hasSizeGreaterThanOrEqualTo(2);

      worker.process.destroyForcibly();
      assertThat(worker.process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(worker.shellPidFiles()).as("left behind: nothing could delete it").hasSize(1);
      assertThat(tree).as("the job outlives its worker").allMatch(ProcessTree::alive);

      assertThat(PidFiles.killLeftovers(worker.workerDir)).isEmpty();

      await().atMost(BOUND).until(() -> tree.stream().noneMatch(ProcessTree::alive));
      assertThat(worker.shellPidFiles()).isEmpty();
    }
  }

  @Test
  void sigtermKillsTheRunningJobAndEndsTheWorker() throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane(100, 15_000);
        WorkerProcess worker = WorkerProcess.start(temp, controlPlane.url(), Map.of())) {
      controlPlane.offer(job(1, "shell", "sleep 300 & sleep 300"));
      await().atMost(BOUND).until(() -> worker.jobPid() > 0);
      List<ProcessHandle> tree = treeOf(worker.jobPid());

      worker.process.destroy();

      assertThat(worker.process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(tree).noneMatch(ProcessTree::alive);
      assertThat(worker.shellPidFiles()).as("deleted as the worker exited").isEmpty();
      assertThat(worker.log()).contains("terminated: killing running jobs");
    }
  }

  @Test
  void anExitInAHeartbeatLetsTheRunningJobFinishAndReport() throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane(100, 15_000);
        WorkerProcess worker = WorkerProcess.start(temp, controlPlane.url(), Map.of())) {
      Path gate = worker.workspace.resolve("p/gate");
      Files.createDirectories(gate.getParent());
      Files.writeString(gate, "");
      controlPlane.offer(
          job(1, "shell", "while [ -e gate ]; do sleep 0.02; done; echo x > one", "one"),
          job(2, "shell", "echo x > two", "two"));
      await().atMost(BOUND).until(() -> controlPlane.reportedRunning(1));

      controlPlane.exitOnHeartbeat();
      await().atMost(BOUND).until(() -> worker.log().contains("leaving after"));
      Files.delete(gate);

      assertThat(worker.process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(worker.process.exitValue()).as(worker.log()).isZero();
      assertThat(controlPlane.completionsOf(1))
          .first()
          .extracting(c -> c.get("outcome"))
          .isEqualTo("SUCCEEDED");
      assertThat(controlPlane.completionsOf(2)).isEmpty();
      assertThat(worker.workspace.resolve("p/two")).doesNotExist();
    }
  }

  @Test
  void anUnknownLaunchTokenEndsTheWorker() throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane(100, 15_000);
        WorkerProcess worker =
            WorkerProcess.start(
                temp, controlPlane.url(), WorkerProcess.env("PIPEWRIGHT_LAUNCH_TOKEN", "stolen"))) {
      assertThat(worker.process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(worker.process.exitValue()).isEqualTo(ExitCode.LAUNCH_REFUSED.status);
      assertThat(worker.log()).doesNotContain("stolen");
    }
  }

  @Test
  void aWorkerWithoutItsSettingsSaysWhichIsMissing() throws Exception {
    try (WorkerProcess worker =
        WorkerProcess.start(
            temp, "http://127.0.0.1:1", WorkerProcess.env("PIPEWRIGHT_WORKER_DIR", ""))) {
      assertThat(worker.process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(worker.process.exitValue()).isEqualTo(ExitCode.MISCONFIGURED.status);
      assertThat(worker.log()).contains("PIPEWRIGHT_WORKER_DIR is not set");
    }
  }

  /** The process and its descendants as they are now. */
  /**
   * The job's process and its descendants once both of its {@code sleep}s run: the pid a shell's
   * child has from its fork on may still be the subshell, before the job's own processes exist.
   */
  static List<ProcessHandle> treeOf(long pid) {
    Optional<ProcessHandle> root = ProcessHandle.of(pid);
    List<ProcessHandle> tree = new ArrayList<>();
    root.ifPresent(process -> {
      await().atMost(BOUND).until(() -> sleeps(process) >= 2 || !process.isAlive());
      tree.add(process);
      process.descendants().forEach(tree::add);
    });
    return tree;
  }

  private static long sleeps(ProcessHandle root) {
    return Stream.concat(Stream.of(root), root.descendants())
        .filter(process -> process.info().command().orElse("").endsWith("/sleep"))
        .count();
  }
}
