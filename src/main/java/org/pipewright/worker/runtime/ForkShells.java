package org.pipewright.worker.runtime;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The worker's {@link ForkShell}s: one per job running at once (a worker runs one), started when
 * first needed and kept for the next job. Each is registered with the worker's session as the
 * worker's own, so that a job's process limit does not count it and a kill sweep spares it.
 */
final class ForkShells implements AutoCloseable {

  private final Map<String, String> environment;
  private final ConcurrentLinkedDeque<ForkShell> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  ForkShells(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** An idle shell that still works, or a new one. */
  ForkShell take() throws IOException {
    for (ForkShell shell = idle.pollFirst(); shell != null; shell = idle.pollFirst()) {
      if (shell.usable()) {
        return shell;
      }
      discard(shell);
    }
    // Looked at before the first shell starts, while the session holds only the worker.
    WorkerSession session = WorkerSession.current();
    ForkShell shell = ForkShell.start(environment);
    session.spare(shell.pid());
    return shell;
  }

  /** A shell whose job has ended, for the next job. */
  void giveBack(ForkShell shell) {
    if (shell.usable() && !closed) {
      idle.addFirst(shell);
      if (!closed) {
        return;
      }
      idle.remove(shell); // closed meanwhile
    }
    discard(shell);
  }

  /** A shell that is gone or that should go. */
  void discard(ForkShell shell) {
    shell.close();
    WorkerSession.current().unspare(shell.pid());
  }

  @Override
  public void close() {
    closed = true;
    for (ForkShell shell = idle.pollFirst(); shell != null; shell = idle.pollFirst()) {
      discard(shell);
    }
  }
}
