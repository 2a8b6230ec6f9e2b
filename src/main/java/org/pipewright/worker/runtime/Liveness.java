package org.pipewright.worker.runtime;

import java.util.function.LongSupplier;

/**
 * The two deadlines that keep a worker from running a job the control plane has given away, on the
 * worker's monotonic clock (milliseconds, from {@code System.nanoTime}; wall-clock jumps must not
 * fence anything):
 *
 * <ul>
 *   <li>the lease: {@code leaseMs} after the last grant, which is the moment a successful heartbeat
 *       was <em>sent</em> (the control plane extended the leases at or after it) or a lease answer
 *       with jobs arrived. Past it the worker kills its running job and drops what it leased;
 *   <li>contact: {@code unreachableMs} after the control plane last answered anything. Past it the
 *       worker kills its jobs and exits.
 * </ul>
 *
 * {@link Watchdog} waits on this object and acts; tests step the clock and ask.
 */
final class Liveness {

  private final long unreachableMs;
  private long leaseMs;
  private long lastContact;

  /** The last grant, or -1 before the first: nothing is held, nothing to fence. */
  private long grantedAt = -1;

  private boolean fenced;

  Liveness(long now, long unreachableMs, long leaseMs) {
    this.unreachableMs = unreachableMs;
    this.leaseMs = leaseMs;
    this.lastContact = now;
  }

  /** The control plane answered something. */
  synchronized void contact(long at) {
    lastContact = Math.max(lastContact, at);
  }

  /**
   * The control plane extended (or granted) every lease the worker holds at {@code at} or later.
   */
  synchronized void granted(long at) {
    grantedAt = Math.max(grantedAt, at);
    fenced = false;
    notifyAll();
  }

  /** The lease length the control plane announced (register, heartbeat). */
  synchronized void leaseMs(long ms) {
    if (ms > 0 && ms != leaseMs) {
      leaseMs = ms;
      notifyAll();
    }
  }

  /**
   * Whether the leases ran out by {@code now}; true once per lapse, so the caller fences once and
   * is not asked again until a new grant.
   */
  synchronized boolean fenceDue(long now) {
    if (fenced || grantedAt < 0 || now < grantedAt + leaseMs) {
      return false;
    }
    fenced = true;
    return true;
  }

  synchronized boolean unreachable(long now) {
    return now >= lastContact + unreachableMs;
  }

  /** The earliest moment at which {@link #fenceDue} or {@link #unreachable} can change. */
  synchronized long nextDeadline() {
    long contactDeadline = lastContact + unreachableMs;
    if (fenced || grantedAt < 0) {
      return contactDeadline;
    }
    return Math.min(contactDeadline, grantedAt + leaseMs);
  }

  /** Waits until the next deadline, or until a grant or a new lease length moves it. */
  synchronized void awaitNextDeadline(LongSupplier clock) throws InterruptedException {
    long wait = nextDeadline() - clock.getAsLong();
    if (wait > 0) {
      wait(wait);
    }
  }
}
