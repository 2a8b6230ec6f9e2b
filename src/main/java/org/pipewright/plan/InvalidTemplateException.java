package org.pipewright.plan;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** A filter pattern that does not compile, or a template that names what its filter lacks. */
public class InvalidTemplateException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("invalid-template", 422, "Invalid pattern or template");

  public InvalidTemplateException(String message) {
    super(PROBLEM, message);
  }
}
