package org.pipewright.web;

import java.util.List;
import org.pipewright.FieldError;
import org.pipewright.PipewrightException;

/** An offset or limit out of range. */
class BadPageException extends PipewrightException {

  BadPageException(int maxLimit) {
    super("offset must be >= 0 and limit between 0 and " + maxLimit);
  }

  @Override
  public List<FieldError> fieldErrors() {
    return List.of(new FieldError("limit", getMessage()));
  }

  @Override
  public String type() {
    return "bad-page";
  }

  @Override
  public int status() {
    return 400;
  }

  @Override
  public String title() {
    return "Bad page request";
  }
}
