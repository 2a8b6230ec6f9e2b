package org.pipewright.plan;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** Two jobs of one plan would write the same file. */
public class ConflictingOutputsException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("conflicting-outputs", 422, "Two jobs write the same file");

  public ConflictingOutputsException(String output, String firstJob, String secondJob) {
    super(PROBLEM, "jobs " + firstJob + " and " + secondJob + " would both write " + output);
  }
}
