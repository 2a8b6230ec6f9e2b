package org.pipewright.sharedlog;

import org.jspecify.annotations.Nullable;

/**
 * A page of the log: records after a sequence number, in order, that match every filter given.
 *
 * @param minLevel the lowest level shown
 * @param text a case-insensitive substring of the message
 * @param limit at most this many records
 */
public record LogQuery(
    long after,
    @Nullable Long runId,
    @Nullable Long jobId,
    @Nullable String source,
    @Nullable LogLevel minLevel,
    @Nullable String text,
    int limit) {

  /** The same filters, after another sequence number. */
  public LogQuery after(long seq) {
    return new LogQuery(seq, runId, jobId, source, minLevel, text, limit);
  }
}
