package org.pipewright.web;

import java.util.List;
import org.pipewright.FieldError;
import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** An offset or limit out of range. */
class BadPageException extends PipewrightException {

  private static final ProblemType PROBLEM = new ProblemType("bad-page", 400, "Bad page request");

  BadPageException(int maxLimit) {
    super(PROBLEM, "offset must be >= 0 and limit between 0 and " + maxLimit);
  }

  @Override
  public List<FieldError> fieldErrors() {
    return List.of(new FieldError("limit", getMessage()));
  }
}
