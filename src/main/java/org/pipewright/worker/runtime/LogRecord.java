package org.pipewright.worker.runtime;

import org.jspecify.annotations.Nullable;
import org.pipewright.sdk.HeldLock;

/**
 * One record for the shared log, as a job (or the worker for it) wrote it. {@link SharedLogClient}
 * gives it its {@code seq} when it takes it. A class rather than a record: a record's generated
 * methods bootstrap through invokedynamic, and nothing here needs them.
 */
final class LogRecord {

  /** What a record adds to its message on the wire, roughly: the other fields and punctuation. */
  private static final int OVERHEAD_BYTES = 200;

  final String level;
  final String message;
  final long runId;
  final long jobId;

  /** {@code stdout} or {@code stderr} for a line of a shell job's output, else null. */
  final @Nullable String stream;

  /** When it was written, ms since the epoch. */
  final long time;

  /** The lock the job held as it wrote it: the record goes in a batch under that grant. */
  final @Nullable HeldLock lock;

  /** The worker's number for it, given when the client takes it; resent unchanged. */
  long seq;

  /** {@code System.nanoTime()} when the client took it, for the linger. */
  long queuedAt;

  /**
   * Whether a writer waits for it through {@link SharedLogClient#awaitStored}; false for the
   * warning the client itself adds before records whose lock had ended.
   */
  boolean counted = true;

  LogRecord(
      String level,
      String message,
      long runId,
      long jobId,
      @Nullable String stream,
      long time,
      @Nullable HeldLock lock) {
    this.level = level;
    this.message = message;
    this.runId = runId;
    this.jobId = jobId;
    this.stream = stream;
    this.time = time;
    this.lock = lock;
  }

  /**
   * What the record weighs in a batch and in the queue: the message's length plus the rest. Chars,
   * not UTF-8 bytes, so a batch of non-ASCII text can exceed its byte budget: a 413 splits it.
   */
  int weight() {
    return message.length() + OVERHEAD_BYTES;
  }

  void writeTo(JsonWriter w, String source) {
    w.beginObject()
        .name("level")
        .value(level)
        .name("message")
        .value(message)
        .name("runId")
        .value(runId)
        .name("jobId")
        .value(jobId)
        .name("source")
        .value(source)
        .name("seq")
        .value(seq)
        .name("time")
        .value(Timestamps.iso(time));
    if (stream != null) {
      w.name("stream").value(stream);
    }
    w.endObject();
  }
}
