package org.pipewright.pipeline;

import java.util.List;
import org.pipewright.FieldError;
import org.pipewright.PipewrightException;

/**
 * A pipeline definition that does not follow the schema or breaks a rule (a cycle, a duplicate
 * name, a path leaving the workdir...). Carries every problem found in one pass.
 */
public class InvalidDefinitionException extends PipewrightException {

  private final List<FieldError> errors;

  public InvalidDefinitionException(List<FieldError> errors) {
    super(summary(errors));
    this.errors = List.copyOf(errors);
  }

  /** Every problem found, in the order of the definition where possible. */
  @Override
  public List<FieldError> fieldErrors() {
    return errors;
  }

  @Override
  public String type() {
    return "invalid-definition";
  }

  @Override
  public int status() {
    return 422;
  }

  @Override
  public String title() {
    return "Invalid pipeline definition";
  }

  private static String summary(List<FieldError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("an invalid definition has at least one error");
    }
    String first = errors.getFirst().toString();
    return errors.size() == 1 ? first : first + " (and " + (errors.size() - 1) + " more)";
  }
}
