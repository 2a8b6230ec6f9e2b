package org.pipewright.worker.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.pipewright.sdk.HeldLock;

/**
 * Java jobs log into the shared log: every call is one record with the attempt's run and job, its
 * level and the time of the call; a throwable's stack trace, causes included, follows the message
 * in the same record. Messages are cut at {@link LogText#MAX_CHARS} here, before they are queued.
 */
final class SharedLogSink implements LogSink {

  private final SharedLogClient client;
  private final LongSupplier wall;

  SharedLogSink(SharedLogClient client, LongSupplier wall) {
    this.client = client;
    this.wall = wall;
  }

  @Override
  public AttemptLog open(Attempt attempt) {
    return new Log(attempt);
  }

  private final class Log implements AttemptLog {
    private final Attempt attempt;

    /** The locks the job holds, in the order it took them; records carry the last. */
    private final List<HeldLock> locks = new ArrayList<>(1);

    private volatile boolean closed;

    Log(Attempt attempt) {
      this.attempt = attempt;
    }

    @Override
    public void debug(String message) {
      write("DEBUG", message, null);
    }

    @Override
    public void info(String message) {
      write("INFO", message, null);
    }

    @Override
    public void warn(String message) {
      write("WARN", message, null);
    }

    @Override
    public void warn(String message, Throwable error) {
      write("WARN", message, error);
    }

    @Override
    public void error(String message) {
      write("ERROR", message, null);
    }

    @Override
    public void error(String message, Throwable error) {
      write("ERROR", message, error);
    }

    @Override
    public void locked(HeldLock lock) {
      synchronized (locks) {
        locks.add(lock);
      }
    }

    @Override
    public void unlocked(HeldLock lock) {
      synchronized (locks) {
        locks.remove(lock);
      }
    }

    @Override
    public boolean awaitStored(long timeoutMs) throws InterruptedException {
      return client.awaitStored(timeoutMs, attempt);
    }

    @Override
    public void close() {
      // Records after this would reach the control plane after the attempt's completion.
      closed = true;
    }

    @Override
    public void warnAtOnce(String message) {
      write("WARN", message, null, 0);
    }

    private void write(String level, @Nullable String message, @Nullable Throwable error) {
      write(level, message, error, LogQueue.MAX_APPEND_WAIT_MS);
    }

    private void write(
        String level, @Nullable String message, @Nullable Throwable error, long maxWaitMs) {
      if (closed) {
        return;
      }
      HeldLock lock;
      synchronized (locks) {
        lock = locks.isEmpty() ? null : locks.get(locks.size() - 1);
      }
      JobSpec spec = attempt.spec;
      client.append(
          new LogRecord(
              level,
              LogText.withTrace(String.valueOf(message), error),
              spec.runId(),
              spec.id().jobId(),
              null,
              wall.getAsLong(),
              lock),
          maxWaitMs);
    }
  }
}
