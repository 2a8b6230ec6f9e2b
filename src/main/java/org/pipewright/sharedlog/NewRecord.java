package org.pipewright.sharedlog;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A record as a writer sent it, checked, before it has its global sequence number.
 *
 * @param sourceSeq the writer's own number for it; with {@code source} it makes a resent record
 *     recognisable, so it is stored once
 * @param stream {@code stdout} or {@code stderr} for a line of a shell job, else null
 */
public record NewRecord(
    Instant time,
    LogLevel level,
    String source,
    @Nullable Long sourceSeq,
    @Nullable Long runId,
    @Nullable Long jobId,
    @Nullable String stream,
    String message) {

  LogRecord stored(long seq) {
    return new LogRecord(seq, time, level, source, sourceSeq, runId, jobId, stream, message);
  }

  NewRecord withMessage(String text) {
    return new NewRecord(time, level, source, sourceSeq, runId, jobId, stream, text);
  }
}
