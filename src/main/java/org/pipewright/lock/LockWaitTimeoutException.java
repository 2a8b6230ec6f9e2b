package org.pipewright.lock;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** An acquire whose {@code waitMs} passed before the lock was free (409). */
public class LockWaitTimeoutException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("lock-wait-timeout", 409, "Lock not free in time");

  LockWaitTimeoutException(String message) {
    super(PROBLEM, message);
  }

  static LockWaitTimeoutException held(String name) {
    return new LockWaitTimeoutException("Lock '" + name + "' is held by someone else");
  }

  static LockWaitTimeoutException waited(String name, long waitMs, long graceMs) {
    return new LockWaitTimeoutException(
        "Lock '"
            + name
            + "' was not free within "
            + waitMs
            + " ms; repeat the acquire with the same requestId within "
            + graceMs
            + " ms to keep its place in the queue");
  }
}
