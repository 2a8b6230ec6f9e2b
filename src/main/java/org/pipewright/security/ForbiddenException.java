package org.pipewright.security;

import org.pipewright.PipewrightException;

/** The token is valid but its role does not allow the request. */
class ForbiddenException extends PipewrightException {

  ForbiddenException() {
    super("This token's role does not allow the request");
  }

  @Override
  public String type() {
    return "forbidden";
  }

  @Override
  public int status() {
    return 403;
  }

  @Override
  public String title() {
    return "Forbidden";
  }
}
