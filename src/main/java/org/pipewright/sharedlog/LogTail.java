package org.pipewright.sharedlog;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The end of the log as followers see it: the last sequence number stored, and a way to wait. */
public final class LogTail {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private volatile long last;

  LogTail(long last) {
    this.last = last;
  }

  /** The last sequence number stored and committed. */
  public long last() {
    return last;
  }

  void advance(long seq) {
    lock.lock();
    try {
      if (seq > last) {
        last = seq;
        advanced.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until a record after {@code seq} is stored, or the time is up.
   *
   * @return the last sequence number stored, greater than {@code seq} unless the time ran out
   */
  public long awaitAfter(long seq, Duration timeout) throws InterruptedException {
    if (last > seq) {
      return last;
    }
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (last <= seq && nanos > 0) {
        nanos = advanced.awaitNanos(nanos);
      }
      return last;
    } finally {
      lock.unlock();
    }
  }
}
