package org.pipewright.worker.runtime;

import java.util.function.LongSupplier;

/**
 * Reports what the worker runs and holds every {@code heartbeatMs}, which extends their leases, and
 * carries out the answer: kills and drops the attempts in {@code cancel}, leaves on {@code exit},
 * and on 409 kills everything and exits.
 */
final class Heartbeat implements Runnable {

  private final ControlPlane controlPlane;
  private final Holdings holdings;
  private final Outbox outbox;
  private final Liveness liveness;
  private final Stopper stopper;
  private final LongSupplier monotonic;
  private final long intervalMs;
  private final int timeoutMs;
  private final Backoff trouble = new Backoff("heartbeat");

  Heartbeat(
      ControlPlane controlPlane,
      Holdings holdings,
      Outbox outbox,
      Liveness liveness,
      Stopper stopper,
      LongSupplier monotonic,
      Registration registration) {
    this.controlPlane = controlPlane;
    this.holdings = holdings;
    this.outbox = outbox;
    this.liveness = liveness;
    this.stopper = stopper;
    this.monotonic = monotonic;
    this.intervalMs = registration.heartbeatMs();
    // A beat that hangs must not delay the next by more than a fraction of the lease.
    this.timeoutMs = (int) Math.max(1_000, Math.min(10_000, registration.leaseMs() / 3));
  }

  @Override
  public void run() {
    try {
      long next = monotonic.getAsLong();
      while (true) {
        long wait = next - monotonic.getAsLong();
        if (wait > 0) {
          Thread.sleep(wait);
        }
        long sent = monotonic.getAsLong();
        next = sent + intervalMs;
        beat(sent);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void beat(long sent) {
    HeartbeatAnswer answer;
    try {
      answer = controlPlane.heartbeat(holdings, outbox, timeoutMs);
    } catch (UnreachableException e) {
      trouble.failed(e);
      return;
    } catch (RefusedException e) {
      if (e.lost()) {
        stopper.exit(ExitCode.LOST, e.getMessage());
      } else {
        trouble.failed(e);
      }
      return;
    }
    trouble.succeeded();
    liveness.leaseMs(answer.leaseMs());
    liveness.granted(sent);
    for (AttemptId id : answer.cancel()) {
      if (holdings.cancel(id, "cancelled by the control plane")) {
        WorkerLog.info("cancelled " + id);
      }
    }
    if (answer.exit()) {
      stopper.leave("the control plane said exit");
    }
  }
}
