package org.pipewright.pipeline;

import java.util.List;
import org.pipewright.FieldError;
import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/**
 * A pipeline definition that does not follow the schema or breaks a rule (a cycle, a duplicate
 * name, a path leaving the workdir...). Carries every problem found in one pass.
 */
public class InvalidDefinitionException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("invalid-definition", 422, "Invalid pipeline definition");

  private final List<FieldError> errors;

  public InvalidDefinitionException(List<FieldError> errors) {
    this(PROBLEM, errors);
  }

  /** For refinements that report the same errors under another problem type. */
  protected InvalidDefinitionException(ProblemType problem, List<FieldError> errors) {
    super(problem, summary(errors));
    this.errors = List.copyOf(errors);
  }

  /** Every problem found, in the order of the definition where possible. */
  @Override
  public List<FieldError> fieldErrors() {
    return errors;
  }

  private static String summary(List<FieldError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("an invalid definition has at least one error");
    }
    String first = errors.getFirst().toString();
    return errors.size() == 1 ? first : first + " (and " + (errors.size() - 1) + " more)";
  }
}
