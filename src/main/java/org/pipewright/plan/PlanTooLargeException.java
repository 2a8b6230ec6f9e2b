package org.pipewright.plan;

import org.pipewright.PipewrightException;

/** A plan that would hold more jobs than the service allows. */
public class PlanTooLargeException extends PipewrightException {

  public PlanTooLargeException(int max) {
    super("the pipeline expands into more than " + max + " jobs");
  }

  @Override
  public String type() {
    return "plan-too-large";
  }

  @Override
  public int status() {
    return 422;
  }

  @Override
  public String title() {
    return "Plan too large";
  }
}
