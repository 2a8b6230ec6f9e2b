package org.pipewright.worker.runtime;

import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The run loop: register, then lease jobs and run them one after another, until the control plane
 * says {@code exit}. Completions go to the {@link Outbox}, from which the {@link Reporter} posts
 * them at once and the next lease takes along what is left; the {@link Heartbeat} and the {@link
 * Watchdog} run beside it, and so does the {@link SharedLogClient}, from registration on. Every way
 * out goes through the {@link Stopper}.
 */
final class Worker {

  /** The most completions a lease call carries along. */
  static final int MAX_RIDING = 100;

  private final WorkerConfig config;
  private final ControlPlane controlPlane;
  private final Holdings holdings;
  private final Outbox outbox;
  private final Liveness liveness;
  private final Stopper stopper;
  private final JobExecutor executor;
  private final SharedLogClient sharedLog;
  private final LongSupplier monotonic;
  private final Backoff leaseTrouble = new Backoff("lease");

  Worker(
      WorkerConfig config,
      ControlPlane controlPlane,
      Holdings holdings,
      Outbox outbox,
      Liveness liveness,
      Stopper stopper,
      JobExecutor executor,
      SharedLogClient sharedLog,
      LongSupplier monotonic) {
    this.config = config;
    this.controlPlane = controlPlane;
    this.holdings = holdings;
    this.outbox = outbox;
    this.liveness = liveness;
    this.stopper = stopper;
    this.executor = executor;
    this.sharedLog = sharedLog;
    this.monotonic = monotonic;
  }

  /** Runs until the worker exits through the {@link Stopper}. */
  void run(String host, long pid) throws InterruptedException {
    start(new Watchdog(liveness, holdings, stopper, monotonic, config.unreachableMs()), "watchdog");
    Registration registration = register(host, pid);
    if (registration == null) {
      return;
    }
    WorkerLog.identify("worker " + registration.workerId());
    WorkerLog.info(
        "registered with "
            + config.url()
            + " as pid "
            + pid
            + " on "
            + host
            + " offering "
            + config.capacity()
            + ", workspace "
            + config.workspace());
    liveness.leaseMs(registration.leaseMs());
    start(
        new Heartbeat(controlPlane, holdings, outbox, liveness, stopper, monotonic, registration),
        "heartbeat");
    start(new Reporter(controlPlane, outbox, stopper, holdings), "reporter");
    // The shared log names this worker as its source, which needs the id just given.
    sharedLog.start(registration.workerId());
    loop();
  }

  private void loop() throws InterruptedException {
    while (true) {
      Attempt attempt = holdings.startNext();
      if (attempt == null) {
        if (holdings.closed()) {
          stopper.exit(ExitCode.DONE, "the control plane said exit");
          return;
        }
        lease();
        continue;
      }
      Completion completion = null;
      try {
        completion = executor.execute(attempt);
      } catch (JobWouldNotStopException e) {
        stopper.exit(ExitCode.JOB_WOULD_NOT_STOP, e.getMessage());
        return;
      } finally {
        // Into the outbox as it leaves the holdings, in one step: see Holdings#finished.
        holdings.finished(
            attempt, completion != null && attempt.worthReporting() ? completion : null, outbox);
      }
    }
  }

  private @Nullable Registration register(String host, long pid) throws InterruptedException {
    Backoff trouble = new Backoff("register");
    while (true) {
      try {
        Registration registration =
            controlPlane.register(config.launchToken(), host, pid, config.capacity());
        trouble.succeeded();
        return registration;
      } catch (UnreachableException e) {
        trouble.failed(e);
      } catch (RefusedException e) {
        if (e.status() == 401) {
          stopper.exit(ExitCode.LAUNCH_REFUSED, e.getMessage());
          return null;
        }
        trouble.failed(e);
      }
      trouble.pause();
    }
  }

  private void lease() throws InterruptedException {
    List<Completion> riding = outbox.takeNow(MAX_RIDING);
    LeaseAnswer answer;
    try {
      answer = controlPlane.lease(config.maxBatch(), config.leaseWaitMs(), riding);
    } catch (UnreachableException e) {
      outbox.retry(riding);
      leaseTrouble.failed(e);
      leaseTrouble.pause();
      return;
    } catch (RefusedException e) {
      outbox.retry(riding);
      if (e.lost()) {
        stopper.exit(ExitCode.LOST, e.getMessage());
        // With a real exit this does not return; stop leasing either way.
        holdings.close(e.getMessage(), true);
        return;
      }
      leaseTrouble.failed(e);
      leaseTrouble.pause();
      return;
    }
    leaseTrouble.succeeded();
    outbox.settle(riding, answer.acks());
    if (!answer.jobs().isEmpty()) {
      // Granted no earlier than the answer was written; on the networks a worker runs on, that is
      // the moment it arrives, give or take a millisecond.
      liveness.granted(monotonic.getAsLong());
      holdings.add(answer.jobs());
    }
    if (answer.exit()) {
      holdings.close("the control plane said exit", false);
    }
  }

  private static void start(Runnable body, String name) {
    Thread thread = new Thread(body, "pipewright-" + name);
    thread.setDaemon(true);
    thread.start();
  }
}
