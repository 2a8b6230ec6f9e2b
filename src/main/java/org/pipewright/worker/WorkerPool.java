package org.pipewright.worker;

import java.net.URI;
import org.jspecify.annotations.Nullable;
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
 * whose leases ran out.
 */
class WorkerPool implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  private final WorkerRegistry registry;
  private final Scheduler scheduler;
  private final RunService runs;
  private final Takeover takeover;
  private final @Nullable LocalLauncher launcher;
  private final Environment environment;
  private volatile boolean running;
  private @Nullable Thread maintenance;

  WorkerPool(
      WorkerRegistry registry,
      Scheduler scheduler,
      RunService runs,
      Takeover takeover,
      @Nullable LocalLauncher launcher,
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
      String port =
          environment.getProperty(
              "local.server.port", environment.getProperty("server.port", "8080"));
      launcher.start(URI.create("http://127.0.0.1:" + port));
    }
  }

  private void maintain() {
    long watched = 0;
    long every = takeover.heartbeat().toNanos();
    while (running) {
      try {
        if (System.nanoTime() - watched >= every) {
          watched = System.nanoTime();
          takeover.watch();
        }
        registry.reap();
        runs.reloadDropped();
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("Worker maintenance failed; trying again", e);
      }
    }
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
      if (row != null && row.pid() != null) {
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
