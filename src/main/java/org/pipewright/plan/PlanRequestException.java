package org.pipewright.plan;

import java.util.List;
import org.pipewright.PipewrightException;

/** A plan request that names tasks the pipeline lacks or a checksum level out of range. */
public class PlanRequestException extends PipewrightException {

  private final List<org.pipewright.FieldError> errors;

  public PlanRequestException(String field, String message) {
    super(message);
    this.errors = List.of(new org.pipewright.FieldError(field, message));
  }

  @Override
  public List<org.pipewright.FieldError> fieldErrors() {
    return errors;
  }

  @Override
  public String type() {
    return "invalid-plan-request";
  }

  @Override
  public int status() {
    return 422;
  }

  @Override
  public String title() {
    return "Invalid plan request";
  }
}
