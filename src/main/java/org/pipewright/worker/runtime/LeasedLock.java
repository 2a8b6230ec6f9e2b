package org.pipewright.worker.runtime;

import org.pipewright.sdk.HeldLock;

/**
 * One grant of a control-plane lock to a job: renewed by the {@link LockRenewer} while held,
 * released by {@link #close}, which first waits until the records the job wrote under it are
 * stored, so that they land in the shared log while the lock still keeps other writers out.
 */
final class LeasedLock implements HeldLock {

  private final LockClient service;
  private final String name;
  private final long token;
  private final long leaseMs;
  private final Attempt attempt;
  private final AttemptLog log;
  private volatile boolean lost;
  private boolean closed;

  LeasedLock(
      LockClient service, String name, long token, long leaseMs, Attempt attempt, AttemptLog log) {
    this.service = service;
    this.name = name;
    this.token = token;
    this.leaseMs = leaseMs;
    this.attempt = attempt;
    this.log = log;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long token() {
    return token;
  }

  long leaseMs() {
    return leaseMs;
  }

  /** Whether the job is being stopped: then nothing waits for the control plane. */
  boolean stopping() {
    return attempt.cancelled() || Thread.currentThread().isInterrupted();
  }

  /** The control plane refused to renew it: another job may hold it now. */
  void lost(String why) {
    synchronized (this) {
      if (closed) {
        return;
      }
      lost = true;
    }
    log.unlocked(this);
    // On the renewer's thread, which must not wait for a full log while other leases run out.
    log.warnAtOnce(
        "lock '"
            + name
            + "' (token "
            + token
            + ") was lost: "
            + why
            + "; what the job does from here on is no longer under the lock");
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    log.unlocked(this);
    try {
      if (!lost) {
        release();
      } else {
        service.stopRenewing(this);
      }
    } finally {
      service.forget(name);
    }
  }

  private void release() {
    try {
      // A cancelled job does not wait: its records need the lock no more than it does.
      if (!stopping() && !log.awaitStored(leaseMs)) {
        WorkerLog.warn(
            "records written under lock '"
                + name
                + "' by "
                + attempt
                + " were not stored within its lease; releasing it anyway");
      }
    } catch (InterruptedException e) {
      // Kept, so that the release below does not wait out a control plane that is away either.
      Thread.currentThread().interrupt();
    }
    // Renewed until the records written under it are stored: a slow flush must not let the lease
    // run out while they are still on their way.
    service.stopRenewing(this);
    service.release(this, this::refused);
  }

  /**
   * A release the control plane refused, heard of perhaps after the job went on, on the thread that
   * reads the lock channel: so it must not wait for the job's log, and the job's log may be closed
   * by then, so the worker's log has it too.
   */
  private void refused(HttpAnswer answer) {
    if (answer.status() == 409) {
      String message =
          "lock '"
              + name
              + "' (token "
              + token
              + ") had ended before the job released it: its lease ran out";
      log.warnAtOnce(message);
      WorkerLog.warn(attempt + ": " + message);
    } else {
      WorkerLog.warn(
          "releasing lock '"
              + name
              + "': "
              + new RefusedException("release", answer.status(), answer.body()).getMessage());
    }
  }

  @Override
  public String toString() {
    return "lock '" + name + "' (token " + token + ")";
  }
}
