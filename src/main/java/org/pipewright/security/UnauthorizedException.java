package org.pipewright.security;

import org.pipewright.PipewrightException;

/** No valid bearer token came with a request that needs one. */
class UnauthorizedException extends PipewrightException {

  UnauthorizedException(String message) {
    super(message);
  }

  @Override
  public String type() {
    return "unauthorized";
  }

  @Override
  public int status() {
    return 401;
  }

  @Override
  public String title() {
    return "Unauthorized";
  }
}
