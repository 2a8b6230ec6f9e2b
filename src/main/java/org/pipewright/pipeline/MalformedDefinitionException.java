package org.pipewright.pipeline;

import java.util.List;
import org.pipewright.FieldError;

/**
 * A body that is not well-formed YAML or JSON, so no definition could be read from it. Its one
 * error names the line and column where reading stopped.
 */
public class MalformedDefinitionException extends InvalidDefinitionException {

  public MalformedDefinitionException(FieldError error) {
    super(List.of(error));
  }

  @Override
  public String type() {
    return "malformed-definition";
  }

  @Override
  public int status() {
    return 400;
  }

  @Override
  public String title() {
    return "Malformed pipeline definition";
  }
}
