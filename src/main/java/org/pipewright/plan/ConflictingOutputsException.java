package org.pipewright.plan;

import org.pipewright.PipewrightException;

/** Two jobs of one plan would write the same file. */
public class ConflictingOutputsException extends PipewrightException {

  public ConflictingOutputsException(String output, String firstJob, String secondJob) {
    super("jobs " + firstJob + " and " + secondJob + " would both write " + output);
  }

  @Override
  public String type() {
    return "conflicting-outputs";
  }

  @Override
  public int status() {
    return 422;
  }

  @Override
  public String title() {
    return "Two jobs write the same file";
  }
}
