package org.pipewright.pipeline;

import java.util.List;
import org.pipewright.FieldError;
import org.pipewright.ProblemType;

/**
 * A body that is not well-formed YAML or JSON, so no definition could be read from it. Its one
 * error names the line and column where reading stopped.
 */
public class MalformedDefinitionException extends InvalidDefinitionException {

  private static final ProblemType PROBLEM =
      new ProblemType("malformed-definition", 400, "Malformed pipeline definition");

  public MalformedDefinitionException(FieldError error) {
    super(PROBLEM, List.of(error));
  }
}
