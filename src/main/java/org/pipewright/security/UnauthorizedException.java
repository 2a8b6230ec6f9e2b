package org.pipewright.security;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** No valid bearer token came with a request that needs one. */
class UnauthorizedException extends PipewrightException {

  private static final ProblemType PROBLEM = new ProblemType("unauthorized", 401, "Unauthorized");

  UnauthorizedException(String message) {
    super(PROBLEM, message);
  }
}
