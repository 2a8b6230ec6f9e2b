package org.pipewright.worker;

import java.util.List;
import java.util.Set;
import org.pipewright.cluster.Membership;
import org.pipewright.run.RunService;
import org.pipewright.run.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Takes back what an earlier process of the control plane left, before the web server opens: the
 * runs in progress first, then the workers still alive (their sessions are known from then on). A
 * worker that calls in the meantime is refused as unknown (401) and takes that for being lost, and
 * one whose heartbeat names a job of a run not yet taken back is told to cancel it: either way a
 * job would run again.
 *
 * <p>While the service runs, it keeps this process's place among the control planes sharing the
 * database ({@link #watch}): it takes over the runs of a peer found dead, whose workers call that
 * peer and never this one, so their jobs are retried here.
 */
final class Takeover implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(Takeover.class);

  /** Spring Boot starts the web server at {@code Integer.MAX_VALUE - 2048}; this comes before. */
  static final int PHASE = Integer.MAX_VALUE - 4096;

  /** The exit status of a process that a peer found dead while it was only frozen. */
  static final int EXIT_REPLACED = 3;

  private final WorkerRegistry registry;
  private final Scheduler scheduler;
  private final RunService runs;
  private final Membership membership;
  private final ControlPlaneAddress address;
  private volatile boolean running;
  private volatile Set<Long> adopted = Set.of();

  Takeover(
      WorkerRegistry registry,
      Scheduler scheduler,
      RunService runs,
      Membership membership,
      ControlPlaneAddress address) {
    this.registry = registry;
    this.scheduler = scheduler;
    this.runs = runs;
    this.membership = membership;
    this.address = address;
  }

  @Override
  public void start() {
    address.checkFree();
    List<String> predecessors = membership.join(address.address());
    runs.takeOrphanedRuns();
    adopted = registry.adoptEarlierWorkers(predecessors);
    scheduler.loseUnless(id -> registry.find(id) != null, "its worker is gone");
    running = true;
  }

  /**
   * Renews this process's place and takes over the runs of peers found dead. Called every heartbeat
   * of the cluster by the pool's maintenance.
   *
   * @return the workers of the peers found dead, marked lost now
   */
  List<WorkerRow> watch() {
    if (!membership.renew()) {
      log.error(
          "Control plane {} was found dead by a peer, which has taken over its runs; stopping",
          membership.id());
      // Whatever it holds in memory is stale now: start again as a new process, or not at all.
      Thread.ofPlatform().name("replaced").start(() -> System.exit(EXIT_REPLACED));
      return List.of();
    }
    List<String> dead = membership.claimDead();
    List<WorkerRow> forgotten = dead.isEmpty() ? List.of() : registry.forgetWorkersOf(dead);
    // Also the runs of a peer that claimed a dead one and died before taking its runs.
    if (!runs.takeOrphanedRuns().isEmpty()) {
      scheduler.loseUnless(id -> registry.find(id) != null, "its control plane is gone");
    }
    return forgotten;
  }

  java.time.Duration heartbeat() {
    return membership.properties().heartbeat();
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
