package org.pipewright.sdk;

/**
 * A job written in Java: the {@code java:} action of a task names a class implementing this
 * interface. A worker makes a fresh instance for every attempt with the public no-argument
 * constructor and calls {@link #run} on a thread of its own.
 *
 * <p>The attempt succeeds when {@code run} returns and every declared output exists; it fails when
 * {@code run} throws. When the attempt is cancelled the worker interrupts the thread: a job that
 * waits or loops should honour {@link Thread#isInterrupted()} or {@link JobContext#cancelled()}.
 */
@FunctionalInterface
public interface Job {

  /**
   * Does the job's work: reads {@link JobContext#inputs()}, writes {@link JobContext#outputs()}.
   *
   * @param context the attempt's files, log and locks; valid only while {@code run} runs
   * @throws Exception anything that makes the attempt fail; its class and message become the
   *     attempt's error and its stack trace goes to the shared log
   */
  void run(JobContext context) throws Exception;
}
