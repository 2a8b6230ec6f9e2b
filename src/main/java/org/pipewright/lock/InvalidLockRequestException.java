package org.pipewright.lock;

import java.util.List;
import org.pipewright.FieldError;
import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** A lock call with a bad name or a field out of bounds (422), naming the field. */
public class InvalidLockRequestException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("invalid-lock-request", 422, "Invalid lock request");

  private final FieldError error;

  InvalidLockRequestException(String field, String message) {
    super(PROBLEM, field + ": " + message);
    this.error = new FieldError(field, message);
  }

  /** The field at fault: {@code name}, {@code owner}, {@code requestId}, {@code leaseMs}... */
  public String field() {
    return error.path();
  }

  @Override
  public List<FieldError> fieldErrors() {
    return List.of(error);
  }
}
