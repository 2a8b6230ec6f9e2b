package org.pipewright.worker.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.sdk.HeldLock;

/**
 * The records the {@link SharedLogClient} has taken and the control plane has not stored yet, in
 * the order they came, numbered as they come. Bounded: a producer that finds {@value #MAX_RECORDS}
 * records (or {@value #MAX_WEIGHT} characters) not yet stored waits for room, so a job that logs
 * faster than the control plane stores is slowed down to its pace; but at most {@value
 * #MAX_APPEND_WAIT_MS} ms, after which records are dropped and counted rather than hang the job.
 */
final class LogQueue {

  static final int MAX_RECORDS = 10_000;

  /** About 4 to 8 MB of heap (Latin-1 or UTF-16 strings), of a worker's 64. */
  static final long MAX_WEIGHT = 4_000_000;

  private final ArrayDeque<LogRecord> queue = new ArrayDeque<>();
  private long nextSeq = 1;

  /** Records taken, and records stored (or dropped as refused): the first minus the second wait. */
  private long accepted;

  private long settled;
  private long unsettledWeight;

  /** Threads in {@link #awaitStored}: while there are any, batches leave without lingering. */
  private int awaiting;

  /**
   * The longest a producer waits for room. Past it the control plane has stored nothing for a
   * minute while the worker still runs (it answers heartbeats, not appends): the record is dropped
   * and counted rather than hang the job, or a thread that renews its locks, for ever.
   */
  static final long MAX_APPEND_WAIT_MS = 60_000;

  /** Records dropped because the queue stayed full; reported by the next record that fits. */
  private long dropped;

  /**
   * Set by a drop, cleared when the control plane stores something: meanwhile a full queue drops at
   * once, so a job that logs is not slowed to a line a minute.
   */
  private boolean dropping;

  /**
   * Takes a record, waiting while too many are not stored yet, at most {@code maxWaitMs} (and not
   * at all while records are being dropped). An interrupt does not end the wait (the record would
   * be lost); it is kept for the caller to see.
   *
   * @return how many records were dropped before this one and not reported yet; 0 when none
   */
  long append(LogRecord record, long maxWaitMs) {
    boolean interrupted = false;
    long droppedBefore;
    synchronized (this) {
      long deadline = System.nanoTime() + maxWaitMs * 1_000_000;
      while (accepted - settled >= MAX_RECORDS
          || (accepted > settled && unsettledWeight + record.weight() > MAX_WEIGHT)) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || dropping) {
          dropped++;
          dropping = true;
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
          return 0;
        }
        try {
          wait(left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      droppedBefore = dropped;
      dropped = 0;
      record.seq = nextSeq++;
      record.queuedAt = System.nanoTime();
      queue.addLast(record);
      accepted++;
      unsettledWeight += record.weight();
      notifyAll();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return droppedBefore;
  }

  /** A number for a record that is not queued: the warning the client adds itself. */
  synchronized long nextSeq() {
    return nextSeq++;
  }

  /** See {@link SharedLogClient#awaitStored}. */
  synchronized boolean awaitStored(long timeoutMs, @Nullable Attempt attempt)
      throws InterruptedException {
    long target = accepted;
    if (settled >= target) {
      return true;
    }
    awaiting++;
    notifyAll();
    try {
      long deadline = System.nanoTime() + timeoutMs * 1_000_000;
      while (settled < target) {
        if (attempt != null && attempt.cancelled()) {
          return false;
        }
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        // A cancel does not notify this monitor: look at it ten times a second.
        wait(attempt == null ? left : Math.min(left, 100));
      }
      return true;
    } finally {
      awaiting--;
    }
  }

  synchronized long waiting() {
    return accepted - settled;
  }

  /**
   * The next batch, waiting until there is a record: records in the order they came, all written
   * under the same lock (or none), at most {@code maxRecords} and {@code maxWeight} (but at least
   * one). The oldest waits up to {@code lingerNanos} for others to join it, unless the batch is
   * full or someone waits for them to be stored.
   */
  synchronized List<LogRecord> take(int maxRecords, long maxWeight, long lingerNanos)
      throws InterruptedException {
    while (queue.isEmpty()) {
      wait();
    }
    while (awaiting == 0 && queue.size() < maxRecords) {
      long left = queue.getFirst().queuedAt + lingerNanos - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(left / 1_000_000, (int) (left % 1_000_000));
    }
    HeldLock lock = queue.getFirst().lock;
    List<LogRecord> batch = new ArrayList<>(Math.min(queue.size(), maxRecords));
    long weight = 0;
    while (!queue.isEmpty() && batch.size() < maxRecords) {
      LogRecord next = queue.getFirst();
      if (next.lock != lock || (!batch.isEmpty() && weight + next.weight() > maxWeight)) {
        break;
      }
      weight += next.weight();
      batch.add(queue.removeFirst());
    }
    return batch;
  }

  /** The batch is stored, or dropped for good: its records no longer wait. */
  synchronized void settle(List<LogRecord> batch) {
    dropping = false;
    for (LogRecord record : batch) {
      if (record.counted) {
        settled++;
        unsettledWeight -= record.weight();
      }
    }
    notifyAll();
  }
}
