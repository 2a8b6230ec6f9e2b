package org.pipewright.web;

import java.util.List;
import org.pipewright.FieldError;
import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** A log query with a parameter out of range or unreadable. */
class BadLogQueryException extends PipewrightException {

  private static final ProblemType PROBLEM = new ProblemType("bad-log-query", 400, "Bad log query");

  private final String parameter;

  BadLogQueryException(String parameter, String message) {
    super(PROBLEM, message);
    this.parameter = parameter;
  }

  @Override
  public List<FieldError> fieldErrors() {
    return List.of(new FieldError(parameter, getMessage()));
  }
}
