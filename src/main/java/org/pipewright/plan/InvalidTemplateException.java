package org.pipewright.plan;

import org.pipewright.PipewrightException;

/** A filter pattern that does not compile, or a template that names what its filter lacks. */
public class InvalidTemplateException extends PipewrightException {

  public InvalidTemplateException(String message) {
    super(message);
  }

  @Override
  public String type() {
    return "invalid-template";
  }

  @Override
  public int status() {
    return 422;
  }

  @Override
  public String title() {
    return "Invalid pattern or template";
  }
}
