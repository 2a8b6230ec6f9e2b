package org.pipewright.sharedlog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes records older than the retention, a few blocks at a time so the appender never waits long
 * behind it. Run hourly by {@link SharedLogConfiguration}.
 */
final class LogRetention {

  private static final Logger log = LoggerFactory.getLogger(LogRetention.class);

  /** Blocks per transaction: each holds up to 500 records. */
  private static final int CHUNK = 20;

  private final LogStore store;
  private final Duration retention;
  private final Clock clock;

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
    } while (deleted > 0);
    if (total > 0) {
      log.info("deleted {} shared log records written before {}", total, cutoff);
    }
    return total;
  }
}
