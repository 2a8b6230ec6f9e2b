package org.pipewright.web;

import java.util.List;
import org.pipewright.FieldError;
import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** A run request without what it needs. */
class RunBodyException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("invalid-run-request", 422, "Invalid run request");

  private final String field;

  RunBodyException(String field, String message) {
    super(PROBLEM, message);
    this.field = field;
  }

  @Override
  public List<FieldError> fieldErrors() {
    return List.of(new FieldError(field, getMessage()));
  }
}
