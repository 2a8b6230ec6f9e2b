package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The long-lived {@code /bin/sh} that starts shell jobs, against the real one. */
class ForkShellTests {

  @TempDir Path temp;
  ForkShell shell;

  @BeforeEach
  void start() throws Exception {
    shell = ForkShell.start(Map.of("PATH", "/usr/bin:/bin", "FROM_THE_WORKER", "kept"));
  }

  @AfterEach
  void close() {
    shell.close();
  }

  @Test
  void aCommandThatNamesItsPidIsExactlyBinShDashCInAProcessOfItsOwn() throws Exception {
    String command = "echo $$ $PPID > ids; cat /proc/$$/cmdline > cmdline";

    long pid = run(command);
    String[] ids = read("ids").strip().split(" ");
    run("echo $$ > second");

    assertThat(Long.parseLong(ids[0])).isEqualTo(pid).isNotEqualTo(shell.pid());
    assertThat(Long.parseLong(ids[1])).as("its parent is the shell").isEqualTo(shell.pid());
    assertThat(read("cmdline")).isEqualTo("/bin/sh\0-c\0" + command + "\0");
    assertThat(read("second").strip()).isNotEqualTo(ids[0]);
  }

  @Test
  void anyOtherCommandRunsInASubshellOfItsOwnThatTheShellForked() throws Exception {
    long first = run("cut -d' ' -f4 /proc/self/stat > parent");
    long second = run("cut -d' ' -f4 /proc/self/stat > parent2");

    assertThat(Long.parseLong(read("parent").strip())).isEqualTo(first);
    assertThat(Long.parseLong(read("parent2").strip())).isEqualTo(second).isNotEqualTo(first);
    assertThat(first).isNotEqualTo(shell.pid());
  }

  @Test
  void anyOtherCommandRunsInTheSubshellItselfWithoutAnExecOfBinSh() throws Exception {
    ProcessHandle job = ProcessHandle.of(launchUntilGoIsDeleted()).orElseThrow();
    awaitChild(job); // by when an exec would have happened

    assertThat(job.info().arguments())
        .hasValueSatisfying(args -> assertThat(args).containsExactly("-s"));
    Files.delete(temp.resolve("go"));
    assertThat(shell.awaitExit(10_000)).isZero();
  }

  @Test
  void anyOtherCommandSeesTheVariablesAndOptionsThatBinShDashCWouldGiveIt() throws Exception {
    String probe = "set > %1$s.set; env > %1$s.env; echo \"[$-] $0 $#\" > %1$s.flags";
    run(probe.formatted("subshell"));
    run(probe.formatted("own") + "; : $$");

    assertThat(withoutPpid(read("subshell.set"))).isEqualTo(withoutPpid(read("own.set")));
    assertThat(read("subshell.env")).isEqualTo(read("own.env"));
    assertThat(read("subshell.flags")).isEqualTo(read("own.flags"));
  }

  @Test
  void aSignalToTheCommandsProcessEndsTheJobWith128PlusIt() throws Exception {
    long pid = shell.launch("sleep 30", temp, temp.resolve("o"), temp.resolve("e"), Map.of());
    ProcessHandle job = ProcessHandle.of(pid).orElseThrow();
    assertThat(job.parent().map(ProcessHandle::pid)).contains(shell.pid());
    ProcessHandle sleep = awaitChild(job);

    sleep.destroy();

    assertThat(shell.awaitExit(10_000)).isEqualTo(143);
    assertThat(shell.usable()).isTrue();
  }

  @Test
  void aCommandThatDoesNotParseFailsAloneAndTheShellTakesTheNext() throws Exception {
    shell.launch("echo a ) ; touch ran", temp, temp.resolve("o"), temp.resolve("e"), Map.of());
    assertThat(shell.awaitExit(10_000)).isEqualTo(2);
    assertThat(read("e")).contains("Syntax error");
    shell.launch("echo 'unclosed", temp, temp.resolve("o"), temp.resolve("e"), Map.of());
    assertThat(shell.awaitExit(10_000)).isEqualTo(2);

    run("touch next");

    assertThat(temp.resolve("ran")).doesNotExist();
    assertThat(temp.resolve("next")).exists();
  }

  @Test
  void aSourcedFileThatNamesItsPidGetsTheJobsOwnAsBinShDashCGivesIt() throws Exception {
    Files.writeString(
        temp.resolve("common.sh"),
        "tmp=work.$$; mkdir \"$tmp\" || exit 1; echo $$ > \"$tmp/pid\"\n");

    long failed =
        shell.launch(". ./common.sh; exit 1", temp, temp.resolve("o"), temp.resolve("e"), Map.of());
    assertThat(shell.awaitExit(10_000)).isEqualTo(1);
    long next = run(". ./common.sh");

    assertThat(read("work." + failed + "/pid").strip()).isEqualTo(Long.toString(failed));
    assertThat(read("work." + next + "/pid").strip()).isEqualTo(Long.toString(next));
  }

  @Test
  void aSigintWaitsForTheCommandAndThenEndsTheJobAsBinShDashCDoesWhateverKillTheJobDefines()
      throws Exception {
    long pid =
        shell.launch(
            "kill() { :; }; sleep 3; touch after",
            temp,
            temp.resolve("o"),
            temp.resolve("e"),
            Map.of());
    assumeThat(Files.readString(Path.of("/proc/" + pid + "/status")))
        .as("SIGINT is ignored by what started this JVM, and then by every shell")
        .doesNotContainPattern("SigIgn:\\s*\\p{XDigit}*[2367abef]\\n");
    ProcessHandle sleep = awaitChild(ProcessHandle.of(pid).orElseThrow());

    new ProcessBuilder("/bin/sh", "-c", "kill -INT " + pid).start().waitFor();

    assertThat(shell.awaitExit(200)).as("still waiting for its command").isNull();
    assertThat(shell.awaitExit(10_000)).isEqualTo(130);
    assertThat(sleep.isAlive()).as("nothing of it runs on once it is reported").isFalse();
    assertThat(temp.resolve("after")).doesNotExist();
  }

  @Test
  void aCommandNamesItsShellWhenItMayLearnItsPidOrItsParents() {
    assertThat(ForkShell.namesItsShell("mkdir /tmp/x.$$")).isTrue();
    assertThat(ForkShell.namesItsShell("echo ${$}")).isTrue();
    assertThat(ForkShell.namesItsShell("echo ${#$}")).isTrue();
    assertThat(ForkShell.namesItsShell("echo $\\\n$")).as("joined lines").isTrue();
    assertThat(ForkShell.namesItsShell("kill $PPID")).isTrue();
    assertThat(ForkShell.namesItsShell(". ./env.sh && run")).as("a sourced file").isTrue();
    assertThat(ForkShell.namesItsShell("x=1;source env.sh")).isTrue();
    assertThat(ForkShell.namesItsShell("eval \"$cmd\"")).isTrue();
    assertThat(ForkShell.namesItsShell("\\. ./env.sh")).as("quoted").isTrue();
    assertThat(ForkShell.namesItsShell("x; '.' f")).as("quoted").isTrue();
    assertThat(ForkShell.namesItsShell("\"eval\" x")).as("quoted").isTrue();
    assertThat(ForkShell.namesItsShell("find . -name x")).as("too broad, and fine").isTrue();
    assertThat(ForkShell.namesItsShell("echo x > out; awk '$1 > 0' in")).isFalse();
    assertThat(ForkShell.namesItsShell("./run.sh ../a.b > evaluation.txt")).isFalse();
  }

  @Test
  void aCommandReachesTheJobExactlyWhateverQuotesNewlinesAndExpansionsItHolds() throws Exception {
    String command = "printf '%s|' 'it'\\''s' \"two\nlines\" '$(not run)' \"`echo run`\" > out";

    run(command);

    assertThat(read("out")).isEqualTo("it's|two\nlines|$(not run)|run|");
  }

  @Test
  void aJobSeesTheShellsEnvironmentAndItsOwnVariablesAndTheNextJobOnlyItsOwn() throws Exception {
    shell.launch(
        "env > first", temp, temp.resolve("o"), temp.resolve("e"), Map.of("JOB_ONLY", "it's"));
    shell.awaitExit(-1);
    run("env > second");

    assertThat(read("first")).contains("FROM_THE_WORKER=kept\n", "JOB_ONLY=it's\n");
    assertThat(read("second")).contains("FROM_THE_WORKER=kept\n").doesNotContain("JOB_ONLY");
  }

  @Test
  void stdinIsEmptyAndStdoutAndStderrGoToTheFilesTruncated() throws Exception {
    Files.writeString(temp.resolve("o"), "left from before, longer than what comes\n");

    shell.launch(
        "cat; echo out; echo err >&2", temp, temp.resolve("o"), temp.resolve("e"), Map.of());
    Integer exit = shell.awaitExit(-1);

    assertThat(exit).isZero();
    assertThat(read("o")).isEqualTo("out\n");
    assertThat(read("e")).isEqualTo("err\n");
  }

  @Test
  void theExitStatusIsTheJobsAndASignalCountsAs128Plus() throws Exception {
    shell.launch("exit 7", temp, temp.resolve("o"), temp.resolve("e"), Map.of());
    assertThat(shell.awaitExit(-1)).isEqualTo(7);

    shell.launch("kill -TERM $$", temp, temp.resolve("o"), temp.resolve("e"), Map.of());
    assertThat(shell.awaitExit(-1)).isEqualTo(143);
    assertThat(shell.usable()).as("the shell outlives its job's signal").isTrue();
  }

  @Test
  void aRunningJobIsReportedAsStillRunningUntilItEnds() throws Exception {
    launchUntilGoIsDeleted();

    assertThat(shell.awaitExit(100)).isNull();
    Files.delete(temp.resolve("go"));
    assertThat(shell.awaitExit(10_000)).isZero();
  }

  @Test
  void aJobThatCannotEnterItsWorkdirOrOpenItsFilesDoesNotStartAndTheShellTakesTheNext()
      throws Exception {
    Path nowhere = temp.resolve("nowhere");

    assertThatThrownBy(() ->
            shell.launch("touch ran", nowhere, temp.resolve("o"), temp.resolve("e"), Map.of()))
        .isInstanceOf(ForkShell.CannotStartException.class)
        .hasMessage("cannot enter the workdir");
    assertThatThrownBy(() ->
            shell.launch("touch ran", temp, nowhere.resolve("o"), temp.resolve("e"), Map.of()))
        .isInstanceOf(ForkShell.CannotStartException.class)
        .hasMessage("cannot open its output files");
    run("touch next");

    assertThat(temp.resolve("ran")).doesNotExist();
    assertThat(temp.resolve("next")).exists();
  }

  @Test
  void aShellKilledUnderItsJobIsNoticedAndNotUsedAgain() throws Exception {
    shell.launch("kill -KILL $PPID; sleep 5", temp, temp.resolve("o"), temp.resolve("e"), Map.of());

    assertThatThrownBy(() -> shell.awaitExit(10_000))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("ended");
    assertThat(shell.usable()).isFalse();
  }

  /** As /bin/sh -c, through $PPID, and in the subshell, which finds its parent in /proc. */
  @ParameterizedTest
  @ValueSource(strings = {"p=$PPID", "read _ _ _ p _ </proc/self/stat"})
  void linesAJobWritesOnTheShellsStdoutAreNotTakenForTheShells(String findTheShell)
      throws Exception {
    shell.launch(
        findTheShell
            + "; echo 'exit 0' > /proc/$p/fd/1; echo 'pid 1' > /proc/$p/fd/1; sleep 0.3; exit 5",
        temp,
        temp.resolve("o"),
        temp.resolve("e"),
        Map.of());

    assertThat(shell.awaitExit(100)).as("still running").isNull();
    assertThat(shell.awaitExit(10_000)).isEqualTo(5);
  }

  @Test
  void aLongLineAJobWritesOnTheShellsStdoutIsSkippedAndTheShellGoesOn() throws Exception {
    long pid =
        shell.launch(
            "head -c 20000000 /dev/zero | tr '\\0' x > /proc/$PPID/fd/1; echo > /proc/$PPID/fd/1;"
                + " exit 3",
            temp,
            temp.resolve("o"),
            temp.resolve("e"),
            Map.of());

    assertThat(shell.awaitExit(60_000)).as("job %d", pid).isEqualTo(3);
    shell.launch("exit 4", temp, temp.resolve("o"), temp.resolve("e"), Map.of());
    assertThat(shell.awaitExit(10_000)).isEqualTo(4);
  }

  @Test
  void aLongLineWithoutANewlineOnTheShellsStdoutDoesNotHideTheShellsExitLine() throws Exception {
    shell.launch(
        "head -c 20000 /dev/zero | tr '\\0' x > /proc/$PPID/fd/1; exit 0",
        temp,
        temp.resolve("o"),
        temp.resolve("e"),
        Map.of());

    // The exit line comes glued to the job's bytes: the shell's protocol is broken, and the job
    // fails for it, rather than waiting for ever for a line that was cut away.
    assertThatThrownBy(() -> shell.awaitExit(10_000)).isInstanceOf(IOException.class);
  }

  @Test
  void theEndOfAJobNobodyWaitedForIsNotTakenForTheNextJobs() throws Exception {
    shell.launch("exit 9", temp, temp.resolve("o"), temp.resolve("e"), Map.of());
    Thread.sleep(200); // its exit line is there, unread, as after an interrupted wait

    shell.launch("exit 3", temp, temp.resolve("o"), temp.resolve("e"), Map.of());

    assertThat(shell.awaitExit(-1)).isEqualTo(3);
  }

  @Test
  void aJobInAWorkdirReachedThroughALinkSeesTheRealPathAndNothingCdAdds() throws Exception {
    Path real = Files.createDirectories(temp.resolve("real/wd"));
    Path link = Files.createSymbolicLink(temp.resolve("link"), temp.resolve("real"));

    shell.launch(
        "pwd > where; env > env",
        link.resolve("wd"),
        temp.resolve("o"),
        temp.resolve("e"),
        Map.of());
    shell.awaitExit(-1);

    assertThat(Files.readString(real.resolve("where")).strip())
        .isEqualTo(real.toRealPath().toString());
    assertThat(Files.readString(real.resolve("env")))
        .contains("PWD=" + real.toRealPath() + "\n")
        .doesNotContain("OLDPWD")
        .doesNotContain("SHLVL");
  }

  @Test
  void closingTheShellEndsItsProcess() throws Exception {
    ProcessHandle process = ProcessHandle.of(shell.pid()).orElseThrow();

    shell.close();

    assertThat(process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
  }

  /** A job that runs until the test deletes the file {@code go}; its pid. */
  private long launchUntilGoIsDeleted() throws Exception {
    Files.createFile(temp.resolve("go"));
    return shell.launch(
        "while [ -e go ]; do sleep 0.01; done",
        temp,
        temp.resolve("o"),
        temp.resolve("e"),
        Map.of());
  }

  private static String withoutPpid(String set) {
    return set.replaceAll("(?m)^PPID=.*\n", "");
  }

  private static ProcessHandle awaitChild(ProcessHandle parent) throws InterruptedException {
    for (int tries = 0; tries < 500; tries++) {
      var child = parent.children().findFirst();
      if (child.isPresent()) {
        return child.get();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no child of " + parent.pid());
  }

  private long run(String command) throws Exception {
    long pid = shell.launch(command, temp, temp.resolve("o"), temp.resolve("e"), Map.of());
    assertThat(shell.awaitExit(-1)).as(read("e")).isZero();
    return pid;
  }

  private String read(String name) throws Exception {
    return Files.readString(temp.resolve(name), StandardCharsets.UTF_8);
  }
}
