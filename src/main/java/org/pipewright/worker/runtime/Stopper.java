package org.pipewright.worker.runtime;

/**
 * Every way a worker ends goes through here, from whichever thread decides it: the run loop, the
 * heartbeat, the reporter, the watchdog, or the JVM's shutdown hook on SIGTERM. It kills what runs
 * when the reason calls for it, gives unacknowledged completions a last chance while the control
 * plane is there to take them, and ends the process. Whoever comes first wins. A later {@link
 * #exit} waits for the first to end the process: the run loop, finding the holdings closed by the
 * watchdog's exit, returned from {@code main} and the JVM, with only daemon threads left, ended
 * with status 0 before the watchdog's {@code System.exit(5)}.
 */
final class Stopper {

  /** How long a leaving worker waits for its completions to be acknowledged. */
  static final long FLUSH_MS = 2_000;

  private final Holdings holdings;
  private final Outbox outbox;
  private final Exit exit;
  private volatile Runnable release = () -> {};
  private boolean stopping;
  private boolean ended;

  /** How the process ends: {@code System.exit} in a worker. */
  interface Exit {
    void exit(int status);
  }

  Stopper(Holdings holdings, Outbox outbox, Exit exit) {
    this.holdings = holdings;
    this.outbox = outbox;
    this.exit = exit;
  }

  /**
   * What to let go once the running job is stopped, before the process ends: the fork shells and
   * their pid files, which a worker that exits by itself leaves nobody to delete.
   */
  void releaseOnStop(Runnable release) {
    this.release = release;
  }

  /** Ends the worker; with {@code System.exit} as the {@link Exit}, never returns. */
  void exit(ExitCode code, String reason) {
    if (!begin()) {
      awaitEnd();
      return;
    }
    if (code == ExitCode.DONE) {
      WorkerLog.info("exiting: " + reason);
    } else {
      WorkerLog.warn("exiting with status " + code.status + " (" + code + "): " + reason);
    }
    try {
      stop(code.killsJobs, reason, code != ExitCode.LOST && code != ExitCode.UNREACHABLE);
      exit.exit(code.status);
    } finally {
      end();
    }
  }

  /**
   * Leaves when the running job (if any) is done: drops the leased ones at once, and exits now when
   * nothing runs; otherwise the run loop exits after the job.
   */
  void leave(String reason) {
    Attempt running = holdings.close(reason, false);
    if (running == null) {
      exit(ExitCode.DONE, reason);
    } else {
      WorkerLog.info("leaving after " + running + ": " + reason);
    }
  }

  /** SIGTERM: the JVM is exiting already; kill the running job and wait until it is dead. */
  void terminated() {
    if (!begin()) {
      return;
    }
    WorkerLog.info("terminated: killing running jobs");
    stop(true, "the worker was terminated", true);
  }

  private synchronized void end() {
    ended = true;
    notifyAll();
  }

  /** Until the first exit has ended the process (or, with another {@link Exit}, returned). */
  private synchronized void awaitEnd() {
    boolean interrupted = false;
    while (!ended && stopping) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true; // the process is ending anyway; keep its status
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized boolean begin() {
    if (stopping) {
      return false;
    }
    stopping = true;
    return true;
  }

  private void stop(boolean kill, String reason, boolean flush) {
    Attempt running = holdings.close(reason, kill);
    try {
      if (running != null && kill) {
        running.awaitStopped();
      }
      try {
        release.run();
      } catch (RuntimeException e) {
        WorkerLog.warn("could not let the fork shells go: " + e);
      }
      if (flush && !outbox.awaitEmpty(FLUSH_MS)) {
        WorkerLog.warn(outbox.size() + " completions were never acknowledged");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
