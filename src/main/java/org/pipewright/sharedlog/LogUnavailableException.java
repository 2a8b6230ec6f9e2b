package org.pipewright.sharedlog;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** The log could not store a batch (the database failed); nothing of it was stored. */
public class LogUnavailableException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("log-unavailable", 503, "Shared log unavailable");

  public LogUnavailableException(String message) {
    super(PROBLEM, message);
  }

  LogUnavailableException(String message, Throwable cause) {
    super(PROBLEM, message, cause);
  }
}
