package org.pipewright.worker.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code PIPEWRIGHT_WORKER_DIR/jobs/shell-<pid>.pid}, one per {@link ForkShell}, holding {@code
 * <pid> <process start, ms since epoch>}: what a launcher that sees this worker die needs to kill
 * what it left behind (the shell's tree: the job it runs is its child), and to be sure the pid was
 * not reused meanwhile (compare the start with {@code
 * ProcessHandle.of(pid).info().startInstant()}).
 *
 * <p>Why a file per shell and not per job: a file made and deleted for every job cost a quarter of
 * a worker's CPU on quick shell jobs (two inodes' worth of journal on ext4, and on the shared file
 * system a SLURM worker's folder lives on, two round trips to its metadata server). A shell lives
 * as long as its worker, and its file with it.
 */
final class PidFiles {

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
   * Writes the pid file of a fork shell just started. It is deleted once the shell has ended, or
   * when this JVM exits; one this JVM could not delete (it was killed) is what the launcher reads.
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
    Path file = folder.resolve("shell-" + shell.pid() + ".pid");
    Files.write(file, (shell.pid() + " " + startMillis + "\n").getBytes(StandardCharsets.US_ASCII));
    file.toFile().deleteOnExit();
    return file;
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
   *     say): the job is then not let run, as without a pid file
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

  /** Whether a job's start is read from its {@code /proc/<pid>/stat} alone, not through Info. */
  boolean readsTicks() {
    return bootMillis >= 0;
  }
}
