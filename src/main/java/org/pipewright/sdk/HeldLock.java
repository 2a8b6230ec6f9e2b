package org.pipewright.sdk;

/**
 * A named lock a job holds, from {@link JobContext#lock(String)} until {@link #close()}. Closing
 * twice is harmless.
 */
public interface HeldLock extends AutoCloseable {

  /**
   * The lock's name.
   *
   * @return the name passed to {@link JobContext#lock(String)}
   */
  String name();

  /**
   * The fencing token of this grant: it grows with every grant of the same lock, so a resource
   * guarded by the lock can refuse a holder whose grant is older than one it has seen.
   *
   * @return a number greater than that of every earlier grant of this lock
   */
  long token();

  /**
   * Releases the lock, once what the job logged while holding it is stored. A lock the control
   * plane took back (its lease ran out) is not released again; the job's log says so.
   */
  @Override
  void close();
}
