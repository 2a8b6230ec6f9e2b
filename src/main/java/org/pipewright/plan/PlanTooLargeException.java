package org.pipewright.plan;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** A plan that would hold more jobs than the service allows. */
public class PlanTooLargeException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("plan-too-large", 413, "Plan too large");

  public PlanTooLargeException(int max) {
    super(
        PROBLEM, "the pipeline expands into more than " + max + " jobs (pipewright.runs.max-jobs)");
  }
}
