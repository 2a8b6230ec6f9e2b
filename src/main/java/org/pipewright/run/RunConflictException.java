package org.pipewright.run;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/**
 * The request clashes with a run's state: a second run of a pipeline whose run is in progress (both
 * would write the same files), or cancelling a run that is over.
 */
public class RunConflictException extends PipewrightException {

  private static final ProblemType PROBLEM = new ProblemType("run-conflict", 409, "Run conflict");

  public RunConflictException(String message) {
    super(PROBLEM, message);
  }
}
