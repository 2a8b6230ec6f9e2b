package org.pipewright.worker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code shell}: {@code /bin/sh -c command} in the workdir, stdin from {@code /dev/null}, stdout
 * and stderr straight into {@code attempt-N.stdout} and {@code attempt-N.stderr} in the log folder
 * (files, never a pipe nobody reads), from which {@link ShellOutput} forwards their lines to the
 * shared log while it runs and to the last line once it ended; an allow-listed environment with no
 * token but the attempt's own ({@code PIPEWRIGHT_TOKEN}: the shared log and locks, for this job
 * only). The process is started by one of the worker's {@link ForkShell}s, not by the JVM, and is
 * that shell's child: the shell's pid file names it to a launcher that sees the worker die.
 */
final class ShellRunner implements JobRunner, AutoCloseable {

  /** The variables of the worker's own environment a job may see. */
  static final List<String> ALLOWED =
      List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER");

  private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

  /**
   * How long a job killed by a signal this worker did not send waits before it is reported: long
   * enough for the worker's own SIGTERM to come through when the signal went to them both.
   */
  static final long FOREIGN_SIGNAL_GRACE_MS = 1_000;

  /**
   * How often a running job's output files are measured against its limits: a job writing as fast
   * as a disk takes it overshoots by about this much time's worth. The first look comes after
   * {@link #FIRST_CHECK_MS}, the wait doubling from there: a flood from the start (gigabytes a
   * second into the page cache) is caught within megabytes, and a job that ends within milliseconds
   * is never looked at.
   */
  static final long CHECK_MS = 50;

  static final long FIRST_CHECK_MS = 5;

  /** Its processes, which means reading all of {@code /proc}, every this many checks. */
  static final int PROCESS_CHECK_EVERY = 5;

  private final ForkShells shells;
  private final ShellOutput output;
  private final JobLimits limits;

  ShellRunner(
      Map<String, String> workerEnvironment,
      String url,
      PidFiles pidFiles,
      ShellOutput output,
      JobLimits limits,
      LongSupplier wall) {
    Map<String, String> baseEnvironment = new LinkedHashMap<>();
    for (String name : ALLOWED) {
      String value = workerEnvironment.get(name);
      if (value != null) {
        baseEnvironment.put(name, value);
      }
    }
    baseEnvironment.putIfAbsent("PATH", DEFAULT_PATH);
    baseEnvironment.put("PIPEWRIGHT_URL", url);
    this.shells = new ForkShells(baseEnvironment, pidFiles, wall);
    this.output = output;
    this.limits = limits;
  }

  @Override
  public RunResult run(Attempt attempt, JobFiles files) throws InterruptedException {
    JobSpec spec = attempt.spec;
    String command = spec.command();
    if (command == null) {
      return RunResult.failed(null, "shell job without a command");
    }
    Map<String, String> exports = new LinkedHashMap<>();
    exports.put("PIPEWRIGHT_RUN_ID", Long.toString(spec.runId()));
    exports.put("PIPEWRIGHT_JOB_ID", Long.toString(spec.id().jobId()));
    exports.put("PIPEWRIGHT_TASK", spec.task());
    // The attempt's own token: it opens the shared log and locks for this job, nothing else, and
    // only while the attempt holds its lease.
    exports.put("PIPEWRIGHT_TOKEN", spec.token());
    if (command.indexOf('\0') >= 0) {
      return RunResult.failed(null, "its command holds a NUL character, which no shell can take");
    }
    if (exports.values().stream().anyMatch(value -> value.indexOf('\0') >= 0)) {
      return RunResult.failed(null, "its task or token holds a NUL character");
    }
    Path stdout = files.logFile("stdout");
    Path stderr = files.logFile("stderr");
    try {
      Files.createDirectories(files.logDir);
    } catch (IOException e) {
      return RunResult.failed(null, "could not start /bin/sh: " + e.getMessage());
    }
    if (!attempt.beginLaunch()) {
      return RunResult.failed(null, "cancelled before it started");
    }
    Launched launched;
    try {
      launched = launch(command, files.workdir, stdout, stderr, exports);
    } catch (ForkShell.CannotStartException | IOException e) {
      attempt.launchFailed();
      return RunResult.failed(null, "could not start /bin/sh: " + e.getMessage());
    } catch (InterruptedException | RuntimeException e) {
      attempt.launchFailed();
      throw e;
    }
    ShellOutput.Watch watch = output.watch(spec, stdout, stderr);
    try {
      return await(attempt, launched, stdout, stderr);
    } finally {
      output.drain(watch);
    }
  }

  /** A job's process and the shell that started it. */
  private record Launched(ForkShell shell, long pid) {}

  /**
   * Starts the job on an idle shell; when that shell turns out to be gone before the job started
   * (killed while idle, which the JDK may not have noticed yet), on a new one.
   */
  private Launched launch(
      String command, Path workdir, Path stdout, Path stderr, Map<String, String> exports)
      throws IOException, InterruptedException, ForkShell.CannotStartException {
    for (int tries = 1; ; tries++) {
      ForkShell shell = shells.take();
      try {
        return new Launched(shell, shell.launch(command, workdir, stdout, stderr, exports));
      } catch (ForkShell.CannotStartException e) {
        shells.giveBack(shell);
        throw e;
      } catch (ForkShell.GoneException e) {
        shells.discard(shell);
        if (tries == 2) {
          throw e;
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        shells.discard(shell);
        throw e;
      }
    }
  }

  private RunResult await(Attempt attempt, Launched launched, Path stdout, Path stderr)
      throws InterruptedException {
    JobSpec spec = attempt.spec;
    ForkShell shell = launched.shell;
    long pid = launched.pid;
    // Empty when the job has ended already: then nothing of it is left to kill. Were the worker
    // to die, the launcher would kill it through its shell's pid file.
    ProcessHandle job = ProcessHandle.of(pid).orElse(null);
    attempt.attach(job);
    Ended ended = awaitExit(attempt, shell, job, stdout, stderr);
    Integer exitCode = ended.exitCode;
    if (exitCode == null) {
      // The shell that started the job is gone (killed with the worker's whole session, say):
      // its exit status with it. What is left of the job dies now.
      if (job != null) {
        ProcessTree.kill(job);
      }
      attempt.awaitCancel(FOREIGN_SIGNAL_GRACE_MS);
      attempt.awaitKilled();
      return RunResult.failed(null, "the shell that started it ended before it did");
    }
    if (ended.over != null && !attempt.cancelled()) {
      attempt.awaitKilled();
      return RunResult.failed(exitCode, ended.over);
    }
    if (killedBySignal(exitCode) && !attempt.cancelled()) {
      // SLURM's scancel, a requeue and a time limit signal every process of the worker's job at
      // once: the job may die a moment before the worker hears its own SIGTERM. Then the attempt
      // is dropped with the worker and retried as lost, rather than failed for exit code 143.
      attempt.awaitCancel(FOREIGN_SIGNAL_GRACE_MS);
    }
    attempt.awaitKilled();
    return exitCode == 0 ? RunResult.OK : RunResult.failed(exitCode, "exit code " + exitCode);
  }

  /** How a job ended: its exit status (null when its shell is gone), and a limit it exceeded. */
  private record Ended(@Nullable Integer exitCode, @Nullable String over) {}

  /**
   * Waits for the job to end, measuring it against its limits while it runs; one that exceeds them
   * is killed, with all its processes. The shell goes back to the pool when it answered, and is
   * dropped when it is gone.
   */
  private Ended awaitExit(
      Attempt attempt, ForkShell shell, @Nullable ProcessHandle job, Path stdout, Path stderr)
      throws InterruptedException {
    WorkerSession session = WorkerSession.current();
    String over = null;
    int checks = 0;
    long wait = FIRST_CHECK_MS;
    try {
      while (true) {
        Integer exitCode = shell.awaitExit(wait);
        wait = Math.min(CHECK_MS, wait * 2);
        if (exitCode != null) {
          shells.giveBack(shell);
          return new Ended(exitCode, over);
        }
        if (over == null && job != null) {
          boolean processes = ++checks % PROCESS_CHECK_EVERY == 0;
          over = limits.exceeded(job, session, processes, stdout, stderr);
          if (over != null) {
            WorkerLog.warn("job " + job.pid() + " " + over);
            ProcessTree.kill(job);
          }
        }
      }
    } catch (IOException e) {
      WorkerLog.warn(attempt + ": " + e.getMessage());
      shells.discard(shell);
      return new Ended(null, over);
    } catch (InterruptedException | RuntimeException e) {
      // Whatever ends the wait, nothing of the job may run on unwatched: its shell goes, and the
      // job (attached by now) is killed on a thread of its own.
      shells.discard(shell);
      attempt.cancel("its worker stopped waiting for it");
      throw e;
    }
  }

  /** Ends the idle shells; one still running a job ends with it. */
  @Override
  public void close() {
    shells.close();
  }

  /** 128 + SIGHUP, SIGINT, SIGKILL or SIGTERM, as the JDK reports a process a signal ended. */
  static boolean killedBySignal(int exitCode) {
    return exitCode == 129 || exitCode == 130 || exitCode == 137 || exitCode == 143;
  }
}
