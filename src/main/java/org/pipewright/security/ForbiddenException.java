package org.pipewright.security;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** The token is valid but its role does not allow the request. */
class ForbiddenException extends PipewrightException {

  private static final ProblemType PROBLEM = new ProblemType("forbidden", 403, "Forbidden");

  ForbiddenException() {
    this("This token's role does not allow the request");
  }

  ForbiddenException(String detail) {
    super(PROBLEM, detail);
  }
}
