package org.pipewright.metrics;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Keeps a progress gauge for each pipeline with an active run, checking once a second. */
final class ProgressRefresher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ProgressRefresher.class);

  private final RunProgressGauges gauges;
  private ScheduledExecutorService timer;

  ProgressRefresher(RunProgressGauges gauges) {
    this.gauges = gauges;
  }

  @Override
  public synchronized void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("run-progress-gauges").daemon().factory());
    timer.scheduleWithFixedDelay(this::refresh, 0, 1, TimeUnit.SECONDS);
  }

  private void refresh() {
    try {
      gauges.refresh();
    } catch (RuntimeException e) {
      log.warn("could not refresh the run progress gauges", e);
    }
  }

  @Override
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return timer != null;
  }
}
