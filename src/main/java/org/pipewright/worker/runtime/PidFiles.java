package org.pipewright.worker.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code PIPEWRIGHT_WORKER_DIR/jobs/shell-<pid>-<start>.pid}, one per {@link ForkShell}, holding
 * {@code <pid> <process start, ms since epoch>}: what a launcher that sees this worker die needs to
 * kill what it left behind (the shell's tree: the job it runs is its child), and to be sure the pid
 * was not reused meanwhile. Both sides are here: the worker writes them, a launcher reads them
 * ({@link #killLeftovers}).
 *
 * <p>Why a file per shell and not per job: a file made and deleted for every job cost a quarter of
 * a worker's CPU on quick shell jobs (two inodes' worth of journal on ext4, and on the shared file
 * system a SLURM worker's folder lives on, two round trips to its metadata server). A shell lives
 * as long as its worker, or until it is discarded, and its file with it.
 */
public final class PidFiles {

  /** {@code USER_HZ}: the clock ticks of {@code /proc}, 100 on every Linux the JDK runs on. */
  private static final long TICKS_PER_SECOND = 100;

  private final Path folder;

  /** The boot time in ms, when {@link #TICKS_PER_SECOND} proved right for this JVM; else -1. */
  private final long bootMillis;

  PidFiles(Path workerDir) throws IOException {
    this.folder = workerDir.resolve("jobs");
    JobFiles.makeFolder(folder);
    this.bootMillis = bootMillis();
  }

  Path folder() {
    return folder;
  }

  /**
   * Writes the pid file of a fork shell just started; whoever ends the shell deletes it. Named by
   * pid and start, so that the late delete of an old shell never takes the file of a new one that
   * got its pid.
   *
   * @param fallbackStart the start to record where the process's own cannot be read: now
   * @return the file; null when the process has ended already, so nothing of it is left to kill
   * @throws IOException when it cannot be written, or the process's stat cannot be read
   */
  @Nullable Path write(ProcessHandle shell, long fallbackStart) throws IOException {
    long startMillis;
    if (bootMillis >= 0) {
      // What ProcessHandle.Info#startInstant computes, from /proc/<pid>/stat alone: Info also
      // reads cmdline, exe and status.
      long ticks;
      try {
        ticks = startTicks(Path.of("/proc", Long.toString(shell.pid())));
      } catch (IOException e) {
        if (!shell.isAlive()) {
          return null; // reaped while its stat was read (ESRCH)
        }
        throw e;
      }
      if (ticks < 0) {
        return null;
      }
      startMillis = bootMillis + ticks * 1000 / TICKS_PER_SECOND;
    } else {
      Optional<Instant> start = shell.info().startInstant();
      startMillis = start.isPresent() ? start.get().toEpochMilli() : fallbackStart;
    }
    Path file = folder.resolve("shell-" + shell.pid() + "-" + startMillis + ".pid");
    Files.write(file, (shell.pid() + " " + startMillis + "\n").getBytes(StandardCharsets.US_ASCII));
    return file;
  }

  /** Deletes a pid file; a failure is only logged, as the launcher deletes what is left. */
  static void delete(Path pidFile) {
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      WorkerLog.warn("could not delete " + pidFile + ": " + e.getMessage());
    }
  }

  /**
   * What a launcher does when a worker of its host died or was declared lost: kills the process
   * tree of every process its pid files name (parents first, listed before any dies), when the
   * process still has the recorded start, so that a recycled pid is never killed; then deletes the
   * files. Each file on its own: one that cannot be read or parsed does not spare the others.
   *
   * @param workerDir the worker's {@code PIPEWRIGHT_WORKER_DIR}
   * @return what went wrong, one line each, for the launcher's log
   */
  public static List<String> killLeftovers(Path workerDir) {
    Path jobs = workerDir.resolve("jobs");
    if (!Files.isDirectory(jobs)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(jobs)) {
      files = listed.toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of("could not list the pid files in " + jobs + ": " + e);
    }
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      try {
        killRecorded(file);
        Files.deleteIfExists(file);
      } catch (NoSuchFileException e) {
        // Deleted meanwhile by the worker, still alive enough to end a shell.
      } catch (IOException | RuntimeException e) {
        problems.add("could not kill what " + file + " names: " + e);
      }
    }
    return problems;
  }

  private static void killRecorded(Path pidFile) throws IOException {
    String[] parts = Files.readString(pidFile).strip().split("\\s+");
    if (parts.length < 1 || parts[0].isEmpty()) {
      return;
    }
    long pid = Long.parseLong(parts[0]);
    long startMillis = parts.length > 1 ? Long.parseLong(parts[1]) : -1;
    ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
    if (handle == null) {
      return;
    }
    long actual = handle.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    if (startMillis >= 0 && actual >= 0 && Math.abs(actual - startMillis) > 1000) {
      return; // the pid was reused by an unrelated process
    }
    // Parents first, listed before any dies (an orphan is no one's descendant): a shell whose
    // child was killed first runs its next command before its own SIGKILL lands, and `sleep 12;
    // echo x >> out` wrote its line after the job had been retried. The one-pass listing:
    // descendants() chases a fork loop until pids run out.
    ProcessTree.treeOf(List.of(handle)).forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * {@code btime} of {@code /proc/stat} in ms, checked against this JVM's own start as the JDK
   * reports it; -1 when they disagree (another tick rate) or cannot be read.
   */
  private static long bootMillis() {
    try {
      long boot = -1;
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        if (line.startsWith("btime ")) {
          boot = Long.parseLong(line.substring(6).strip()) * 1000;
        }
      }
      long ticks = startTicks(Path.of("/proc/self"));
      long expected =
          ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(-2L);
      return boot >= 0 && ticks >= 0 && boot + ticks * 1000 / TICKS_PER_SECOND == expected
          ? boot
          : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * A process's {@code starttime}, field 22 of its {@code stat}.
   *
   * @return -1 when the process has ended and was reaped (a zombie still has its stat)
   * @throws IOException when its stat cannot be read for another reason (no file descriptor left,
   *     say): the shell is then not used, as without a pid file
   */
  private static long startTicks(Path proc) throws IOException {
    String stat;
    try {
      stat = ProcStat.read(proc);
    } catch (NoSuchFileException e) {
      return -1;
    }
    try {
      return ProcStat.number(stat, ProcStat.START);
    } catch (IllegalArgumentException e) {
      throw new IOException("cannot read the start of " + proc + ": " + e.getMessage(), e);
    }
  }

  /** Whether a shell's start is read from its {@code /proc/<pid>/stat} alone, not through Info. */
  boolean readsTicks() {
    return bootMillis >= 0;
  }
}
