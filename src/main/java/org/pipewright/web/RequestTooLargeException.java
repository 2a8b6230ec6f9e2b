package org.pipewright.web;

import org.pipewright.PipewrightException;

/** A request body larger than the service accepts; answered with 413 and the connection closed. */
public class RequestTooLargeException extends PipewrightException {

  private final long maxBytes;

  public RequestTooLargeException(long maxBytes) {
    super("The request body is larger than " + maxBytes + " bytes");
    this.maxBytes = maxBytes;
  }

  /** The largest body accepted. */
  public long maxBytes() {
    return maxBytes;
  }

  @Override
  public String type() {
    return "payload-too-large";
  }

  @Override
  public int status() {
    return 413;
  }

  @Override
  public String title() {
    return "Request body too large";
  }
}
