package org.pipewright.worker;

import java.util.Set;
import org.pipewright.run.RunService;
import org.pipewright.run.Scheduler;
import org.springframework.context.SmartLifecycle;

/**
 * Takes back what an earlier process of the control plane left, before the web server opens: the
 * runs in progress first, then the workers still alive (their sessions are known from then on). A
 * worker that calls in the meantime is refused as unknown (401) and takes that for being lost, and
 * one whose heartbeat names a job of a run not yet taken back is told to cancel it: either way a
 * job would run again.
 */
final class Takeover implements SmartLifecycle {

  /** Spring Boot starts the web server at {@code Integer.MAX_VALUE - 2048}; this comes before. */
  static final int PHASE = Integer.MAX_VALUE - 4096;

  private final WorkerRegistry registry;
  private final Scheduler scheduler;
  private final RunService runs;
  private volatile boolean running;
  private volatile Set<Long> adopted = Set.of();

  Takeover(WorkerRegistry registry, Scheduler scheduler, RunService runs) {
    this.registry = registry;
    this.scheduler = scheduler;
    this.runs = runs;
  }

  @Override
  public void start() {
    runs.recover();
    adopted = registry.adoptEarlierWorkers();
    scheduler.loseUnless(id -> registry.find(id) != null, "its worker is gone");
    running = true;
  }

  /** The workers of an earlier process taken in, to stop with this one. */
  Set<Long> adopted() {
    return adopted;
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
