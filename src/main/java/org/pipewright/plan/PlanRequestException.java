package org.pipewright.plan;

import java.util.List;
import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** A plan request that names tasks the pipeline lacks or a checksum level out of range. */
public class PlanRequestException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("invalid-plan-request", 422, "Invalid plan request");

  private final List<org.pipewright.FieldError> errors;

  public PlanRequestException(String field, String message) {
    super(PROBLEM, message);
    this.errors = List.of(new org.pipewright.FieldError(field, message));
  }

  @Override
  public List<org.pipewright.FieldError> fieldErrors() {
    return errors;
  }
}
