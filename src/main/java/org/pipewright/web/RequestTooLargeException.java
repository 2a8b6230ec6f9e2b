package org.pipewright.web;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** A request body larger than the service accepts; answered with 413 and the connection closed. */
public class RequestTooLargeException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("payload-too-large", 413, "Request body too large");

  private final long maxBytes;

  public RequestTooLargeException(long maxBytes) {
    super(PROBLEM, "The request body is larger than " + maxBytes + " bytes");
    this.maxBytes = maxBytes;
  }

  /** The largest body accepted. */
  public long maxBytes() {
    return maxBytes;
  }
}
