package org.pipewright.worker.runtime;

import org.pipewright.sdk.HeldLock;
import org.pipewright.sdk.JobLog;

/**
 * A {@link JobLog} for one attempt, which the worker closes when the attempt ends. The lock service
 * tells it which lock the job holds, so that its records are written under that lock.
 */
interface AttemptLog extends JobLog {

  /** Records written from now on carry this lock (the one taken last, when several are held). */
  void locked(HeldLock lock);

  /** Records written from now on no longer carry this lock. */
  void unlocked(HeldLock lock);

  /**
   * Waits until every record written so far is stored.
   *
   * @param timeoutMs how long to wait at most
   * @return false when they were not within the time, or the attempt was cancelled meanwhile
   */
  boolean awaitStored(long timeoutMs) throws InterruptedException;

  /**
   * A warning from a worker thread that must never wait for the log (the lock renewer): when the
   * queue is full it is dropped and counted instead.
   */
  void warnAtOnce(String message);

  /** Releases what the log holds; later records are dropped. */
  void close();
}
