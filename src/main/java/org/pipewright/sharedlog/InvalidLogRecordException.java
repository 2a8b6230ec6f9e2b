package org.pipewright.sharedlog;

import java.util.List;
import org.pipewright.FieldError;
import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** An append that cannot be stored as posted; nothing of it is stored. */
public class InvalidLogRecordException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("invalid-log-record", 422, "Invalid log record");

  private final List<FieldError> errors;

  public InvalidLogRecordException(List<FieldError> errors) {
    super(PROBLEM, summary(errors));
    this.errors = List.copyOf(errors);
  }

  private static String summary(List<FieldError> errors) {
    FieldError first = errors.getFirst();
    String text = first.path() + ": " + first.message();
    return errors.size() == 1 ? text : text + " (and " + (errors.size() - 1) + " more)";
  }

  @Override
  public List<FieldError> fieldErrors() {
    return errors;
  }
}
