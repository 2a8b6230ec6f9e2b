package org.pipewright.worker;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** The control plane could not store a completion just now; the worker sends it again. */
public class TryAgainException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("try-again", 503, "Could not store it; send it again");

  public TryAgainException(String message) {
    super(PROBLEM, message);
  }
}
