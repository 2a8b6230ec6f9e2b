package org.pipewright.worker;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.pipeline.Resources;
import org.pipewright.run.RunService;
import org.pipewright.run.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;

/**
 * Brings the pool up after the web server (workers need its port) and down before it. On the way up
 * it first picks up what an earlier process left: workers still running are adopted, runs in
 * progress go on, and jobs held by workers that are gone are retried. While up, it reaps workers
 * whose leases ran out, and fails the ready jobs that ask for more than any worker will ever offer.
 */
class WorkerPool implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  private final WorkerRegistry registry;
  private final Scheduler scheduler;
  private final RunService runs;
  private final Takeover takeover;
  private final @Nullable Launcher launcher;
  private final Environment environment;
  private volatile boolean running;
  private @Nullable Thread maintenance;

  WorkerPool(
      WorkerRegistry registry,
      Scheduler scheduler,
      RunService runs,
      Takeover takeover,
      @Nullable Launcher launcher,
      Environment environment) {
    this.registry = registry;
    this.scheduler = scheduler;
    this.runs = runs;
    this.takeover = takeover;
    this.launcher = launcher;
    this.environment = environment;
  }

  /** Runs and workers of an earlier process were taken back already ({@link Takeover}). */
  @Override
  public void start() {
    running = true;
    maintenance = Thread.ofVirtual().name("worker-maintenance").start(this::maintain);
    if (launcher != null) {
      cancelUnregistered(launcher);
      String port =
          environment.getProperty(
              "local.server.port", environment.getProperty("server.port", "8080"));
      launcher.start(URI.create("http://127.0.0.1:" + port));
    }
  }

  /**
   * An earlier process's SLURM workers that never registered wait in the queue, or start now: they
   * hold nothing, so they are cancelled at once rather than left to take an allocation only to be
   * told to exit.
   */
  private void cancelUnregistered(Launcher launcher) {
    for (long id : takeover.adopted()) {
      WorkerRow row = registry.find(id);
      if (row != null && row.registeredAt() == null && row.slurmJobId() != null) {
        launcher.stopEarlier(row);
        registry.exited(id);
      }
    }
  }

  private void maintain() {
    long watched = 0;
    long every = takeover.heartbeat().toNanos();
    while (running) {
      try {
        if (System.nanoTime() - watched >= every) {
          watched = System.nanoTime();
          try {
            stopAbandoned(takeover.watch());
          } catch (RuntimeException e) {
            // A database that cannot be written must not keep the rest of this round from running.
            log.warn("Could not renew this control plane's place: {}", e.getMessage());
          }
        }
        registry.reap();
        runs.reloadDropped();
        failUnrunnable();
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("Worker maintenance failed; trying again", e);
      }
    }
  }

  /**
   * The workers of a control plane found dead call it, never this one: they kill their jobs and
   * exit when its lease has passed. The launcher ends those it can reach (SLURM jobs) at once, so
   * that they give back their allocation.
   */
  private void stopAbandoned(List<WorkerRow> workers) {
    if (launcher != null) {
      workers.forEach(launcher::stopAbandoned);
    }
  }

  /**
   * A job that fits neither what the launcher starts nor any worker alive now would wait for ever.
   * Without a launcher, workers come from elsewhere and may yet bring enough: nothing fails.
   */
  private void failUnrunnable() {
    if (launcher == null) {
      return;
    }
    List<Resources> offers = new ArrayList<>(launcher.offers());
    offers.addAll(registry.offeredByAlive());
    String largest =
        String.join("; ", launcher.offers().stream().map(Resources::toString).toList());
    scheduler.failUnrunnable(
        asked -> offers.stream().anyMatch(asked::fitsIn),
        asked ->
            "asks for "
                + asked(asked)
                + ", more than any worker offers: the "
                + environment.getProperty("pipewright.workers.launcher", "local")
                + " launcher starts workers of "
                + largest);
  }

  /** A task's ask as a message says it, without the part it does not ask for. */
  static String asked(Resources asked) {
    String cpus = asked.cpus() == 1 ? "1 cpu" : asked.cpus() + " cpus";
    String memory = asked.memoryMb() + " MB of memory";
    if (asked.memoryMb() == 0) {
      return cpus;
    }
    return asked.cpus() == 0 ? memory : cpus + " and " + memory;
  }

  @Override
  public void stop() {
    running = false;
    registry.stopping();
    scheduler.stop();
    if (launcher != null) {
      launcher.stop();
    }
    for (long id : takeover.adopted()) {
      WorkerRow row = registry.find(id);
      if (row == null) {
        continue;
      }
      if (launcher != null) {
        launcher.stopEarlier(row);
      } else if (row.pid() != null) {
        LocalLauncher.stopOrphan(row.pid());
      }
    }
    if (maintenance != null) {
      maintenance.interrupt();
    }
    runs.stop();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** After the web server started (its phase is just below), before it stops. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }
}
