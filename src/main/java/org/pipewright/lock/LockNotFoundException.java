package org.pipewright.lock;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** Nobody holds or waits for a lock of this name (404); the lock table forgets such locks. */
public class LockNotFoundException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("lock-not-found", 404, "Lock not found");

  LockNotFoundException(String name) {
    super(PROBLEM, "Nobody holds or waits for lock '" + name + "'");
  }
}
