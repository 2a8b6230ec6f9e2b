package org.pipewright.run;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** No run has this id. */
public class RunNotFoundException extends PipewrightException {

  private static final ProblemType PROBLEM = new ProblemType("run-not-found", 404, "Run not found");

  public RunNotFoundException(long id) {
    super(PROBLEM, "No run has id " + id);
  }
}
