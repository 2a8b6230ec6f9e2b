package org.pipewright.worker.runtime;

import java.util.function.LongSupplier;

/**
 * Acts on {@link Liveness}: fences (kills the running job, drops the leased ones) when the leases
 * ran out without a successful heartbeat, and exits when the control plane has been unreachable too
 * long. A thread of its own, so a call that hangs cannot delay either.
 */
final class Watchdog implements Runnable {

  private final Liveness liveness;
  private final Holdings holdings;
  private final Stopper stopper;
  private final LongSupplier monotonic;
  private final long unreachableMs;

  Watchdog(
      Liveness liveness,
      Holdings holdings,
      Stopper stopper,
      LongSupplier monotonic,
      long unreachableMs) {
    this.liveness = liveness;
    this.holdings = holdings;
    this.stopper = stopper;
    this.monotonic = monotonic;
    this.unreachableMs = unreachableMs;
  }

  @Override
  public void run() {
    try {
      while (true) {
        long now = monotonic.getAsLong();
        if (liveness.unreachable(now)) {
          stopper.exit(
              ExitCode.UNREACHABLE,
              "no answer from the control plane for " + unreachableMs + " ms");
          return;
        }
        if (liveness.fenceDue(now)) {
          Attempt running = holdings.dropAll("no successful heartbeat within the lease");
          WorkerLog.warn(
              "no successful heartbeat within the lease: dropped leased jobs"
                  + (running == null ? "" : " and killed " + running));
        }
        liveness.awaitNextDeadline(monotonic);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
