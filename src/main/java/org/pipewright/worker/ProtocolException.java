package org.pipewright.worker;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** A worker call that breaks the protocol: the wrong worker, an unknown outcome. */
public class ProtocolException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("worker-protocol", 400, "Worker protocol violation");

  public ProtocolException(String message) {
    super(PROBLEM, message);
  }
}
