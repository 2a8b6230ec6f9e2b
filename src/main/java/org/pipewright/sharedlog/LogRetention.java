package org.pipewright.sharedlog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Deletes records older than the retention, hourly and at start, a few thousand at a time so the
 * appender never waits long behind it.
 */
final class LogRetention implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LogRetention.class);
  private static final int CHUNK = 5_000;
  private static final Duration EVERY = Duration.ofHours(1);

  private final LogStore store;
  private final Duration retention;
  private final Clock clock;
  private ScheduledExecutorService timer;

  LogRetention(LogStore store, Duration retention, Clock clock) {
    this.store = store;
    this.retention = retention;
    this.clock = clock;
  }

  /**
   * Deletes what is past the retention now.
   *
   * @return how many records were deleted
   */
  int purge() {
    Instant cutoff = clock.instant().minus(retention);
    int total = 0;
    int deleted;
    do {
      deleted = store.deleteWrittenBefore(cutoff, CHUNK);
      total += deleted;
    } while (deleted == CHUNK);
    if (total > 0) {
      log.info("deleted {} shared log records written before {}", total, cutoff);
    }
    return total;
  }

  @Override
  public synchronized void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("shared-log-retention").daemon().factory());
    timer.scheduleWithFixedDelay(this::purgeQuietly, 1, EVERY.toSeconds(), TimeUnit.SECONDS);
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

  private void purgeQuietly() {
    try {
      purge();
    } catch (RuntimeException e) {
      log.warn("shared log retention failed; it tries again in an hour", e);
    }
  }
}
