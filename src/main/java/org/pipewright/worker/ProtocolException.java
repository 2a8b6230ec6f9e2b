package org.pipewright.worker;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** A worker call that breaks the protocol (an unknown outcome), or another worker's call (403). */
public class ProtocolException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("worker-protocol", 400, "Worker protocol violation");

  private static final ProblemType NOT_YOURS =
      new ProblemType("not-this-worker", 403, "Not this worker");

  public ProtocolException(String message) {
    super(PROBLEM, message);
  }

  private ProtocolException(ProblemType problem, String message) {
    super(problem, message);
  }

  /** A worker's token used for another worker's calls. */
  static ProtocolException notYours(long id) {
    return new ProtocolException(NOT_YOURS, "this token is not worker " + id + "'s");
  }
}
