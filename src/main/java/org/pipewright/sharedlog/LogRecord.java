package org.pipewright.sharedlog;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A record of the shared log as stored.
 *
 * @param seq its global sequence number: the order of the log, and the cursor readers page with
 * @param time when the writer wrote it (the control plane's clock when the writer did not say)
 */
public record LogRecord(
    long seq,
    Instant time,
    LogLevel level,
    String source,
    @Nullable Long sourceSeq,
    @Nullable Long runId,
    @Nullable Long jobId,
    @Nullable String stream,
    String message) {

  /** The same record numbered {@code by} further on. */
  public LogRecord shifted(long by) {
    return by == 0
        ? this
        : new LogRecord(seq + by, time, level, source, sourceSeq, runId, jobId, stream, message);
  }
}
