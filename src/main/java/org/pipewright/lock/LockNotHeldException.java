package org.pipewright.lock;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/**
 * A call that needs the current grant of a lock and does not have it: the token expired, was
 * released or superseded by a later grant, or belongs to another caller (409). The shared log
 * answers appends under such a token with it too.
 */
public class LockNotHeldException extends PipewrightException {

  private static final ProblemType PROBLEM = new ProblemType("lock-not-held", 409, "Lock not held");

  public LockNotHeldException(String message) {
    super(PROBLEM, message);
  }

  /** The token is not the current grant of the lock. */
  public static LockNotHeldException token(String name, long token) {
    return new LockNotHeldException(
        "Token " + token + " is not the current grant of lock '" + name + "'");
  }

  static LockNotHeldException anothers(String name, long token) {
    return new LockNotHeldException(
        "Token " + token + " of lock '" + name + "' was granted to another caller");
  }

  static LockNotHeldException request(String name, String requestId) {
    return new LockNotHeldException(
        "Request '" + requestId + "' neither holds nor waits for lock '" + name + "'");
  }

  static LockNotHeldException withdrawn(String name, String requestId) {
    return new LockNotHeldException(
        "Request '" + requestId + "' for lock '" + name + "' was withdrawn while it waited");
  }
}
