package org.pipewright.worker.runtime;

import java.util.List;

/**
 * Posts completions to {@code /complete} as soon as they exist, on one long-lived thread, after a
 * linger of at most 2 ms for others to join, 100 ms while the worker still has leased jobs queued.
 * Batches also form by themselves: while one call is in flight, the next completions pile up and
 * leave together in the next call. A failed call is repeated; an ack, accepted or not, ends a
 * completion.
 */
final class Reporter implements Runnable {

  static final int MAX_BATCH = 100;

  /** How long the first completion of a call waits for others to join it. */
  static final long LINGER_NANOS = 2_000_000;

  /**
   * How long it waits while the worker still has leased jobs queued: a shell job's results came 8
   * to a call with the linger alone, against 60 for a Java job's, and each call is a transaction
   * that costs the control plane about 2.5 ms of CPU. A batch of 64 quick shell jobs runs about 100
   * ms, so its results mostly leave with the next lease call; 50 ms made twice the calls. A job
   * that waits on one of them may become ready up to that much later, while this worker has work
   * queued; a batch's last results leave after the linger.
   */
  static final long HOLD_NANOS = 100_000_000;

  private final ControlPlane controlPlane;
  private final Outbox outbox;
  private final Stopper stopper;
  private final Backoff backoff = new Backoff("reporting completions");

  private final Holdings holdings;

  Reporter(ControlPlane controlPlane, Outbox outbox, Stopper stopper, Holdings holdings) {
    this.holdings = holdings;
    this.controlPlane = controlPlane;
    this.outbox = outbox;
    this.stopper = stopper;
  }

  @Override
  public void run() {
    try {
      while (true) {
        List<Completion> batch =
            outbox.take(MAX_BATCH, LINGER_NANOS, HOLD_NANOS, holdings::hasQueued);
        if (batch.isEmpty()) {
          continue; // a lease call took them along
        }
        try {
          int unanswered = outbox.settle(batch, controlPlane.complete(batch));
          if (unanswered == 0) {
            backoff.succeeded();
            continue;
          }
          backoff.failed(new IllegalStateException(unanswered + " completions got no ack"));
        } catch (UnreachableException e) {
          outbox.retry(batch);
          backoff.failed(e);
        } catch (RefusedException e) {
          outbox.retry(batch);
          if (e.lost()) {
            stopper.exit(ExitCode.LOST, e.getMessage());
            return;
          }
          backoff.failed(e);
        }
        backoff.pause();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
