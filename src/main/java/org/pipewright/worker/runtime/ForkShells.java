package org.pipewright.worker.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The worker's {@link ForkShell}s: one per job running at once (a worker runs one), started when
 * first needed and kept for the next job. Each is registered with the worker's session as the
 * worker's own, so that a job's process limit does not count it and a kill sweep spares it, and has
 * a pid file for as long as it lives: a launcher that sees the worker die kills the shell's tree,
 * the job it was running with it. A shell that is discarded keeps its file until it has ended, and
 * it ends only after its job; as the worker exits, the shells end and their files go ({@link
 * #close}).
 */
final class ForkShells implements AutoCloseable {

  /** How long {@link #close} waits for the shells of killed jobs to come back. */
  static final long CLOSE_WAIT_MS = 1_000;

  private final Map<String, String> environment;
  private final PidFiles pidFiles;
  private final LongSupplier wall;
  private final ConcurrentLinkedDeque<ForkShell> idle = new ConcurrentLinkedDeque<>();
  private final Map<ForkShell, Path> files = new ConcurrentHashMap<>();
  private volatile boolean closed;

  ForkShells(Map<String, String> environment, PidFiles pidFiles, LongSupplier wall) {
    this.environment = Map.copyOf(environment);
    this.pidFiles = pidFiles;
    this.wall = wall;
  }

  /**
   * An idle shell that still works, or a new one.
   *
   * @throws IOException when no shell can start, or its pid file cannot be written: without one a
   *     dying worker would leave its job unkillable
   */
  ForkShell take() throws IOException {
    for (ForkShell shell = idle.pollFirst(); shell != null; shell = idle.pollFirst()) {
      if (shell.usable()) {
        return shell;
      }
      discard(shell);
    }
    // Looked at before the first shell starts, while the session holds only the worker.
    WorkerSession session = WorkerSession.current();
    long startedAt = wall.getAsLong();
    ForkShell shell = ForkShell.start(environment);
    session.spare(shell.pid());
    Path pidFile;
    try {
      pidFile = pidFiles.write(shell.handle(), startedAt);
    } catch (IOException | RuntimeException e) {
      discard(shell);
      throw new IOException("could not write the pid file of its shell: " + e.getMessage(), e);
    }
    if (pidFile == null) {
      discard(shell);
      throw new IOException("the shell that starts jobs ended as it started");
    }
    files.put(shell, pidFile);
    return shell;
  }

  /** A shell whose job has ended, for the next job; once closed, it ends with its pid file. */
  void giveBack(ForkShell shell) {
    if (shell.usable() && !closed) {
      idle.addFirst(shell);
      if (!closed) {
        return;
      }
      if (!idle.remove(shell)) {
        return; // closed meanwhile, and close() took it
      }
    }
    if (closed) {
      endNow(shell);
    } else {
      discard(shell);
    }
  }

  /**
   * A shell that is gone or that should go; its pid file goes once it has ended, which a shell
   * whose stdin is closed does after its job.
   */
  void discard(ForkShell shell) {
    Path pidFile = end(shell);
    if (pidFile != null) {
      shell.whenEnded(() -> PidFiles.delete(pidFile));
    }
  }

  /**
   * Ends the shells and deletes their pid files: the idle ones at once, and those whose job was
   * killed as they come back, for up to {@value #CLOSE_WAIT_MS} ms: a worker that is exiting may
   * not live to see a shell end. A shell still running a job after that keeps its file for the
   * launcher.
   */
  @Override
  public void close() {
    closed = true;
    for (ForkShell shell = idle.pollFirst(); shell != null; shell = idle.pollFirst()) {
      endNow(shell);
    }
    long deadline = System.nanoTime() + CLOSE_WAIT_MS * 1_000_000;
    try {
      while (!files.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A shell with no job: it ends, and its pid file goes now. */
  private void endNow(ForkShell shell) {
    Path pidFile = end(shell);
    if (pidFile != null) {
      PidFiles.delete(pidFile);
    }
  }

  /** Closes a shell's stdin and lets it go; its pid file, for the caller to delete. */
  private @Nullable Path end(ForkShell shell) {
    shell.close();
    WorkerSession.current().unspare(shell.pid());
    return files.remove(shell);
  }
}
