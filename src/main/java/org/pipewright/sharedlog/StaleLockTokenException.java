package org.pipewright.sharedlog;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** An append under a lock whose grant is no longer current: its holder was too late. */
public class StaleLockTokenException extends PipewrightException {

  private static final ProblemType PROBLEM = new ProblemType("lock-not-held", 409, "Lock not held");

  StaleLockTokenException(String lock, long token) {
    super(
        PROBLEM,
        "token "
            + token
            + " is not the current grant of lock '"
            + lock
            + "': its lease ended or it was released; nothing was appended");
  }
}
