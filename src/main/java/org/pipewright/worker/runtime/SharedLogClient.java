package org.pipewright.worker.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.pipewright.sdk.HeldLock;

/**
 * The worker's one writer of {@code POST /api/log} (docs/shared-log.md): takes records from any
 * thread, numbers them {@code 1, 2, ...} as source {@code worker-<id>}, and posts them in order
 * from the thread {@code pipewright-log}, in batches of up to {@value #MAX_BATCH_RECORDS} records
 * or about a megabyte. A batch leaves when its oldest record has waited {@link #LINGER_NANOS} for
 * others to join it, or at once when someone waits in {@link #awaitStored}.
 *
 * <p>Nothing is dropped on the way: a producer waits for room in the bounded {@link LogQueue}; a
 * call that got no answer or a 5xx is repeated, unchanged, after a pause from {@link Backoff}, and
 * the control plane stores a resent record once by its {@code (source, seq)}. Records written under
 * a lock go in batches of their own that carry the lock's name and token; when the grant has ended
 * (409 {@code lock-not-held}) they are sent again without it, after a warning that says so.
 */
final class SharedLogClient implements Runnable {

  static final String PATH = "/api/log";
  static final int MAX_BATCH_RECORDS = 1_000;

  /**
   * What a batch may weigh ({@link LogRecord#weight}): well under the control plane's default limit
   * for an append body of 8 MB ({@code pipewright.shared-log.max-body-size}).
   */
  static final int MAX_BATCH_WEIGHT = 1_000_000;

  /** How long the oldest waiting record waits for others before its batch leaves. */
  static final long LINGER_NANOS = 5_000_000;

  private static final int TIMEOUT_MS = 10_000;

  private final ControlPlane controlPlane;
  private final LongSupplier wall;
  private final LogQueue queue = new LogQueue();
  private final Backoff trouble = new Backoff("appending to the shared log");
  private String source = "";

  SharedLogClient(ControlPlane controlPlane, LongSupplier wall) {
    this.controlPlane = controlPlane;
    this.wall = wall;
  }

  /**
   * Starts posting, as {@code worker-<workerId>}: the source needs the id that {@code register}
   * gives, so records taken before wait until then.
   */
  void start(long workerId) {
    source = "worker-" + workerId;
    // Thread.start publishes the source to the thread.
    Thread thread = new Thread(this, "pipewright-log");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Takes a record, from any thread; waits while the queue is full, at most a minute, and drops the
   * record past that (see {@link LogQueue}). The next record that fits says how many went.
   */
  void append(LogRecord record) {
    append(record, LogQueue.MAX_APPEND_WAIT_MS);
  }

  /** The same, waiting at most {@code maxWaitMs} for room. */
  void append(LogRecord record, long maxWaitMs) {
    long dropped = queue.append(record, maxWaitMs);
    if (dropped > 0) {
      WorkerLog.warn(dropped + " log records dropped: the control plane stored none for a minute");
      LogRecord warning =
          new LogRecord(
              "WARN",
              dropped
                  + " records of this worker were dropped before this one: the control plane"
                  + " stored none for a minute",
              record.runId,
              record.jobId,
              null,
              wall.getAsLong(),
              null);
      queue.append(warning, 0);
    }
  }

  /**
   * Waits until every record taken before this call is stored (or refused for good), at once when
   * none is waiting: a job that logs nothing costs no call. Records wait for no linger meanwhile.
   *
   * @param timeoutMs how long to wait at most
   * @param attempt stop waiting when it is cancelled (its records no longer hold anything up); or
   *     null
   * @return true when they are stored; false on timeout or cancel
   */
  boolean awaitStored(long timeoutMs, @Nullable Attempt attempt) throws InterruptedException {
    return queue.awaitStored(timeoutMs, attempt);
  }

  /** Records taken and not yet stored. */
  long waiting() {
    return queue.waiting();
  }

  @Override
  public void run() {
    try {
      while (true) {
        List<LogRecord> batch = queue.take(MAX_BATCH_RECORDS, MAX_BATCH_WEIGHT, LINGER_NANOS);
        send(batch, batch.get(0).lock);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(List<LogRecord> batch, @Nullable HeldLock lock) throws InterruptedException {
    byte[] body = encode(batch, lock);
    while (true) {
      HttpAnswer answer;
      try {
        answer = controlPlane.post("log", PATH, body, TIMEOUT_MS);
      } catch (UnreachableException e) {
        trouble.failed(e);
        trouble.pause();
        continue;
      }
      int status = answer.status();
      if (answer.ok()) {
        trouble.succeeded();
        queue.settle(batch);
        return;
      }
      if (lock != null && status == 409 && "lock-not-held".equals(answer.problemType())) {
        sendWithoutLock(batch, lock);
        return;
      }
      if (status == 413 && batch.size() > 1) {
        // Heavier than the control plane takes (non-ASCII text weighs more than its length):
        // halves, each in order.
        int half = batch.size() / 2;
        send(batch.subList(0, half), lock);
        send(batch.subList(half, batch.size()), lock);
        return;
      }
      RefusedException refused = new RefusedException("log", status, answer.body());
      if (status == 401 || status == 408 || status == 409 || status == 429) {
        // Passing: a 409 other than lock-not-held is a conflict the control plane gave up on, and
        // a refused session token is the heartbeat's to act on (the worker exits).
        trouble.failed(refused);
        trouble.pause();
        continue;
      }
      // Any other 4xx is a bug on one side or the other (a field or a run the control plane
      // refuses): the same batch would be refused for ever and hold back every later record, so it
      // is dropped, and said so where an operator looks.
      WorkerLog.warn("dropped " + batch.size() + " shared-log records: " + refused.getMessage());
      queue.settle(batch);
      return;
    }
  }

  /**
   * The lock's grant ended before the batch was appended: the records are sent again without it,
   * after one warning that says so, rather than lost. They keep their seqs: a refused batch was not
   * stored.
   */
  private void sendWithoutLock(List<LogRecord> batch, HeldLock lock) throws InterruptedException {
    LogRecord first = batch.get(0);
    LogRecord warning =
        new LogRecord(
            "WARN",
            "the "
                + batch.size()
                + (batch.size() == 1
                    ? " record after this one was"
                    : " records after this one were")
                + " written after the grant of lock '"
                + lock.name()
                + "' (token "
                + lock.token()
                + ") had ended; stored without the lock",
            first.runId,
            first.jobId,
            null,
            wall.getAsLong(),
            null);
    warning.counted = false;
    warning.seq = queue.nextSeq();
    List<LogRecord> resend = new ArrayList<>(batch.size() + 1);
    resend.add(warning);
    resend.addAll(batch);
    send(resend, null);
  }

  private byte[] encode(List<LogRecord> batch, @Nullable HeldLock lock) {
    long weight = 64;
    for (LogRecord record : batch) {
      weight += record.weight();
    }
    JsonWriter w = new JsonWriter((int) Math.min(weight, 2 * MAX_BATCH_WEIGHT));
    w.beginObject().name("records").beginArray();
    for (LogRecord record : batch) {
      record.writeTo(w, source);
    }
    w.endArray();
    if (lock != null) {
      w.name("lock").value(lock.name()).name("token").value(lock.token());
    }
    return w.endObject().toBytes();
  }
}
