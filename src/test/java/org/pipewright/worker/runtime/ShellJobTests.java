package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pipewright.worker.runtime.Specs.aShellJob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellJobTests {

  @TempDir Path temp;
  Rig rig;

  @BeforeEach
  void rig() {
    rig = new Rig(temp);
  }

  @AfterEach
  void close() {
    rig.close();
  }

  @Test
  void shellJobThatWritesItsOutputSucceeds() {
    Completion completion = rig.run(aShellJob("echo x > out").outputs("out"));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(completion.exitCode()).isZero();
    assertThat(completion.error()).isNull();
    assertThat(completion.token()).isEqualTo("token-1-1");
    assertThat(completion.finishedAt()).isGreaterThanOrEqualTo(completion.startedAt());
    assertThat(rig.read("out")).isEqualTo("x\n");
  }

  @Test
  void shellJobThatExitsNonZeroFailsWithItsExitCode() {
    Completion completion = rig.run(aShellJob("echo x > out; exit 3").outputs("out"));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.exitCode()).isEqualTo(3);
    assertThat(completion.error()).isEqualTo("exit code 3");
  }

  @Test
  void shellJobWithoutItsDeclaredOutputFails() {
    Completion completion = rig.run(aShellJob("echo x > other").outputs("a.count"));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.exitCode()).isZero();
    assertThat(completion.error()).isEqualTo("declared output a.count was not produced");
  }

  @Test
  void onlyTheOutputsToCheckMustExist() {
    Completion completion =
        rig.run(aShellJob("echo x > a").outputs("a", "chunk.*.txt").checkOutputs("a"));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void shellOutputAndErrorsGoToTheAttemptsFilesInTheLogFolder() {
    rig.run(aShellJob("echo to-out; echo to-err >&2").id(7, 2).logDir("logs/7"));

    assertThat(rig.read("/logs/7/attempt-2.stdout")).isEqualTo("to-out\n");
    assertThat(rig.read("/logs/7/attempt-2.stderr")).isEqualTo("to-err\n");
  }

  @Test
  void shellJobRunsInItsWorkdirWithNothingOnStdin() {
    Completion completion = rig.run(aShellJob("pwd > where; cat > stdin").outputs("where"));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(rig.read("where").strip()).isEqualTo(rig.file(".").normalize().toString());
    assertThat(rig.read("stdin")).isEmpty();
  }

  @Test
  void shellJobSeesTheAllowListAndItsOwnAttemptTokenButNoWorkerToken() {
    rig.run(aShellJob("env > env.txt").id(42, 1));

    List<String> env = rig.read("env.txt").lines().sorted().toList();
    assertThat(env)
        .contains(
            "PATH=/usr/local/bin:/usr/bin:/bin",
            "HOME=/home/someone",
            "LANG=C.UTF-8",
            "PIPEWRIGHT_URL=http://127.0.0.1:1",
            "PIPEWRIGHT_RUN_ID=5",
            "PIPEWRIGHT_JOB_ID=42",
            "PIPEWRIGHT_TASK=task",
            // Its own attempt's token, which opens the shared log and locks for this job only.
            "PIPEWRIGHT_TOKEN=token-42-1");
    assertThat(String.join("\n", env))
        .doesNotContain("PIPEWRIGHT_LAUNCH_TOKEN")
        .doesNotContain("launch-secret")
        .doesNotContain("session-secret")
        .doesNotContain("cloud-secret");
    // Whatever else is there, sh put there itself (PWD, SHLVL, _): nothing from the worker.
    assertThat(env)
        .allSatisfy(line ->
            assertThat(line)
                .matches(
                    "(PATH|HOME|LANG|PIPEWRIGHT_URL|PIPEWRIGHT_RUN_ID|PIPEWRIGHT_JOB_ID"
                        + "|PIPEWRIGHT_TASK|PIPEWRIGHT_TOKEN|PWD|OLDPWD|SHLVL|_)=.*"));
  }

  @Test
  void foldersOfOutputsAndMkdirFoldersExistBeforeTheJobRuns() {
    Completion completion =
        rig.run(
            aShellJob("test -d made/deep && echo x > sub/dir/out")
                .mkdir("made/deep")
                .outputs("sub/dir/out"));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void theShellThatStartsJobsHasAPidFileForAsLongAsItLivesAndEachJobIsItsChild() throws Exception {
    rig.write("go", "");
    Rig.Running running = rig.start(aShellJob("while [ -e go ]; do sleep 0.02; done").id(9, 3));

    await().atMost(Duration.ofSeconds(10)).until(() -> rig.jobPid() > 0);
    List<Path> pidFiles = rig.shellPidFiles();
    assertThat(pidFiles).hasSize(1);
    long[] recorded = ShellPidFiles.read(pidFiles.get(0));
    ProcessHandle shell = ProcessHandle.of(recorded[0]).orElseThrow();
    assertThat(shell.info().startInstant().orElseThrow().toEpochMilli())
        .as("the start it records, as the JDK reads it")
        .isEqualTo(recorded[1]);
    assertThat(rig.pidFiles.readsTicks()).as("without asking /proc again").isTrue();
    assertThat(pidFiles.get(0).getFileName())
        .hasToString("shell-" + shell.pid() + "-" + recorded[1] + ".pid");
    ProcessHandle job = ProcessHandle.of(rig.jobPid()).orElseThrow();
    assertThat(job.parent()).contains(shell);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> job.children().anyMatch(ShellJobTests::isSleep));

    Files.delete(rig.file("go"));
    assertThat(running.completion().outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(rig.shellPidFiles()).as("kept with the shell for the next job").hasSize(1);
    assertThat(rig.run(aShellJob("echo $PPID > parent").id(10, 1)).outcome())
        .isEqualTo(Outcome.SUCCEEDED);
    assertThat(rig.read("parent").strip()).isEqualTo(Long.toString(shell.pid()));

    rig.closeShells();
    await().atMost(Duration.ofSeconds(10)).until(() -> rig.shellPidFiles().isEmpty());
    assertThat(shell.isAlive()).isFalse();
  }

  @Test
  void cancelKillsTheShellAndEveryProcessItStarted() throws Exception {
    Rig.Running running = rig.start(aShellJob("sleep 300 & sleep 300").id(4, 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> rig.jobPid() > 0);
    ProcessHandle shell = ProcessHandle.of(rig.jobPid()).orElseThrow();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> shell.descendants().count() + (isSleep(shell) ? 1 : 0) >= 2);
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(shell);
    shell.descendants().forEach(tree::add);

    running.attempt().cancel("test");
    running.completion();

    assertThat(tree).noneMatch(ProcessTree::alive);
  }

  @Test
  void aJobKilledByASignalTheWorkerDidNotSendIsDroppedWhenTheWorkerIsTerminatedAMomentLater()
      throws Exception {
    // As under SLURM: scancel signals the job and its worker at once, and the job dies first.
    Rig.Running running = rig.start(aShellJob("echo $$ > pid; kill -TERM $$").id(6, 1));
    String pid =
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(5))
            .ignoreExceptions()
            .until(() -> rig.read("pid").strip(), text -> text.matches("[0-9]+"));
    ProcessHandle shell = ProcessHandle.of(Long.parseLong(pid)).orElse(null);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> shell == null || !shell.isAlive());

    running.attempt().cancel("the worker was terminated");
    Completion completion = running.completion();

    assertThat(completion.exitCode()).isEqualTo(143);
    assertThat(running.attempt().worthReporting())
        .as("dropped, so it is retried as lost")
        .isFalse();
  }

  @Test
  void aJobKilledByASignalIsReportedFailedWhenTheWorkerLivesOn() {
    Rig.Running running = rig.start(aShellJob("kill -TERM $$"));

    Completion completion = running.completion();

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.error()).isEqualTo("exit code 143");
    assertThat(running.attempt().worthReporting()).isTrue();
  }

  @Test
  void cancelBeforeTheProcessStartsLeavesNothingRunning() {
    // A duration of its own, so that its processes can be told from any other test's.
    String sleep = "sleep 300." + ProcessHandle.current().pid();
    Rig.Running running = rig.start(aShellJob(sleep + "; echo x > out").outputs("out"));
    running.attempt().cancel("test");

    running.completion();

    // Either the cancel came first and nothing ran, or it came after the start and killed it.
    assertThat(ProcessHandle.allProcesses())
        .noneMatch(process -> process.info().commandLine().orElse("").contains(sleep));
    assertThat(rig.file("out")).doesNotExist();
  }

  @Test
  void aCommandThatCannotBeFoundFailsWithShellsExitCode() {
    Completion completion = rig.run(aShellJob("no-such-command-anywhere"));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.exitCode()).isEqualTo(127);
    assertThat(rig.read("/.pipewright/runs/5/task/1/attempt-1.stderr")).contains("not found");
  }

  @Test
  void shellJobsAreForkedByOneWarmShellThatLaterJobsReuse() {
    rig.run(aShellJob("echo $PPID > first").id(1, 1));
    rig.run(aShellJob("echo $PPID > second").id(2, 1));

    assertThat(rig.read("second")).isEqualTo(rig.read("first"));
    assertThat(Long.parseLong(rig.read("first").strip()))
        .isNotEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void aJobWhoseShellIsKilledUnderItFailsSayingSoAndTheNextJobGetsANewShell() {
    Completion killed = rig.run(aShellJob("echo $PPID > old; kill -KILL $PPID; sleep 1").id(1, 1));
    Completion next = rig.run(aShellJob("echo $PPID > new").id(2, 1).outputs("new"));

    assertThat(killed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(killed.exitCode()).isNull();
    assertThat(killed.error()).isEqualTo("the shell that started it ended before it did");
    assertThat(next.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(rig.read("new")).isNotEqualTo(rig.read("old"));
  }

  @Test
  void anIdleShellKilledBetweenJobsIsReplacedAndTheNextJobRuns() {
    rig.run(aShellJob("echo $PPID > shell").id(1, 1));
    ProcessHandle.of(Long.parseLong(rig.read("shell").strip())).orElseThrow().destroyForcibly();

    Completion next = rig.run(aShellJob("echo $PPID > new").id(2, 1).outputs("new"));

    assertThat(next.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(rig.read("new")).isNotEqualTo(rig.read("shell"));
  }

  @Test
  void aCommandHoldingANulCharacterFailsWithoutRunning() {
    Completion completion = rig.run(aShellJob("touch ran\0").outputs("ran"));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.error())
        .isEqualTo("its command holds a NUL character, which no shell can take");
    assertThat(rig.file("ran")).doesNotExist();
  }

  @Test
  void anUnknownKindFails() {
    Completion completion = rig.run(aShellJob("true").kind("python"));

    assertThat(completion.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.error()).isEqualTo("unknown job kind 'python'");
  }

  private static boolean isSleep(ProcessHandle process) {
    Optional<String> command = process.info().command();
    return command.isPresent() && command.get().endsWith("sleep");
  }
}
