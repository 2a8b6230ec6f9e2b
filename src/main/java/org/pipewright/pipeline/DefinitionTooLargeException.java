package org.pipewright.pipeline;

import java.util.List;
import org.pipewright.FieldError;
import org.pipewright.ProblemType;

/**
 * A definition past one of the operator's limits ({@link DefinitionLimits}): nested too deep, too
 * many aliases or values, a string too long, too many tasks or jobs listed. It is refused as too
 * large (413), with every problem found up to then, rather than as a wrong one.
 */
public class DefinitionTooLargeException extends InvalidDefinitionException {

  private static final ProblemType PROBLEM =
      new ProblemType("definition-too-large", 413, "Pipeline definition past a limit");

  DefinitionTooLargeException(List<FieldError> errors) {
    super(PROBLEM, errors);
  }
}
