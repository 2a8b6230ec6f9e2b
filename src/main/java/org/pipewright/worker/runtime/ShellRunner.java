package org.pipewright.worker.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code shell}: {@code /bin/sh -c command} in the workdir, stdin from {@code /dev/null}, stdout
 * and stderr straight into {@code attempt-N.stdout} and {@code attempt-N.stderr} in the log folder
 * (files, never a pipe nobody reads), from which {@link ShellOutput} forwards their lines to the
 * shared log while it runs and to the last line once it ended; an allow-listed environment with no
 * token but the attempt's own ({@code PIPEWRIGHT_TOKEN}: the shared log and locks, for this job
 * only), and a pid file while it runs.
 */
final class ShellRunner implements JobRunner {

  /** The variables of the worker's own environment a job may see. */
  static final List<String> ALLOWED =
      List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER");

  private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

  /**
   * How long a job killed by a signal this worker did not send waits before it is reported: long
   * enough for the worker's own SIGTERM to come through when the signal went to them both.
   */
  static final long FOREIGN_SIGNAL_GRACE_MS = 1_000;

  private static final File DEV_NULL = new File("/dev/null");

  /**
   * How often a running job's output files are measured against its limits: a job writing as fast
   * as a disk takes it overshoots by about this much time's worth.
   */
  static final long CHECK_MS = 50;

  /** Its processes, which means reading all of {@code /proc}, every this many checks. */
  static final int PROCESS_CHECK_EVERY = 5;

  private final Map<String, String> baseEnvironment;
  private final PidFiles pidFiles;
  private final ShellOutput output;
  private final JobLimits limits;
  private final LongSupplier wall;

  ShellRunner(
      Map<String, String> workerEnvironment,
      String url,
      PidFiles pidFiles,
      ShellOutput output,
      JobLimits limits,
      LongSupplier wall) {
    this.baseEnvironment = new LinkedHashMap<>();
    for (String name : ALLOWED) {
      String value = workerEnvironment.get(name);
      if (value != null) {
        baseEnvironment.put(name, value);
      }
    }
    baseEnvironment.putIfAbsent("PATH", DEFAULT_PATH);
    baseEnvironment.put("PIPEWRIGHT_URL", url);
    this.pidFiles = pidFiles;
    this.output = output;
    this.limits = limits;
    this.wall = wall;
  }

  @Override
  public RunResult run(Attempt attempt, JobFiles files) throws InterruptedException {
    JobSpec spec = attempt.spec;
    String command = spec.command();
    if (command == null) {
      return RunResult.failed(null, "shell job without a command");
    }
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command);
    builder.directory(files.workdir.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.putAll(baseEnvironment);
    environment.put("PIPEWRIGHT_RUN_ID", Long.toString(spec.runId()));
    environment.put("PIPEWRIGHT_JOB_ID", Long.toString(spec.id().jobId()));
    environment.put("PIPEWRIGHT_TASK", spec.task());
    // The attempt's own token: it opens the shared log and locks for this job, nothing else, and
    // only while the attempt holds its lease.
    environment.put("PIPEWRIGHT_TOKEN", spec.token());
    Path stdout = files.logFile("stdout");
    Path stderr = files.logFile("stderr");
    Process process;
    try {
      Files.createDirectories(files.logDir);
      builder.redirectOutput(stdout.toFile());
      builder.redirectError(stderr.toFile());
      if (!attempt.beginLaunch()) {
        return RunResult.failed(null, "cancelled before it started");
      }
      process = builder.start();
    } catch (IOException e) {
      attempt.launchFailed();
      return RunResult.failed(null, "could not start /bin/sh: " + e.getMessage());
    }
    ShellOutput.Watch watch = output.watch(spec, stdout, stderr);
    try {
      return await(attempt, process, stdout, stderr);
    } finally {
      output.drain(watch);
    }
  }

  private RunResult await(Attempt attempt, Process process, Path stdout, Path stderr)
      throws InterruptedException {
    JobSpec spec = attempt.spec;
    Path pidFile;
    try {
      pidFile = pidFiles.write(spec.id(), process.toHandle(), wall.getAsLong());
    } catch (IOException e) {
      // Without a pid file a dying worker would leave the job unkillable: do not let it run.
      attempt.attach(process, null);
      attempt.cancel("no pid file");
      process.waitFor();
      attempt.awaitKilled();
      return RunResult.failed(null, "could not write the pid file: " + e.getMessage());
    }
    attempt.attach(process, pidFile);
    String over = watch(process, stdout, stderr);
    int exitCode = process.exitValue();
    if (over != null && !attempt.cancelled()) {
      attempt.awaitKilled();
      deletePidFile(pidFile);
      return RunResult.failed(exitCode, over);
    }
    if (killedBySignal(exitCode) && !attempt.cancelled()) {
      // SLURM's scancel, a requeue and a time limit signal every process of the worker's job at
      // once: the job may die a moment before the worker hears its own SIGTERM. Then the attempt
      // is dropped with the worker and retried as lost, rather than failed for exit code 143.
      attempt.awaitCancel(FOREIGN_SIGNAL_GRACE_MS);
    }
    attempt.awaitKilled();
    deletePidFile(pidFile);
    return exitCode == 0 ? RunResult.OK : RunResult.failed(exitCode, "exit code " + exitCode);
  }

  /**
   * Waits for the job to end, measuring it against its limits while it runs; one that exceeds them
   * is killed, with all its processes.
   *
   * @return what it exceeded, or null
   */
  private @Nullable String watch(Process process, Path stdout, Path stderr)
      throws InterruptedException {
    ProcessHandle shell = process.toHandle();
    WorkerSession session = WorkerSession.current();
    String over = null;
    int checks = 0;
    while (!process.waitFor(CHECK_MS, TimeUnit.MILLISECONDS)) {
      if (over == null) {
        boolean processes = ++checks % PROCESS_CHECK_EVERY == 0;
        over = limits.exceeded(shell, session, processes, stdout, stderr);
        if (over != null) {
          WorkerLog.warn("job " + process.pid() + " " + over);
          ProcessTree.kill(shell);
        }
      }
    }
    return over;
  }

  private static void deletePidFile(Path pidFile) {
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      WorkerLog.warn("could not delete " + pidFile + ": " + e.getMessage());
    }
  }

  /** 128 + SIGHUP, SIGINT, SIGKILL or SIGTERM, as the JDK reports a process a signal ended. */
  static boolean killedBySignal(int exitCode) {
    return exitCode == 129 || exitCode == 130 || exitCode == 137 || exitCode == 143;
  }
}
