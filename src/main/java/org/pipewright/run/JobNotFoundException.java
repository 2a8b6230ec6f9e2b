package org.pipewright.run;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** No job has this id. */
public class JobNotFoundException extends PipewrightException {

  private static final ProblemType PROBLEM = new ProblemType("job-not-found", 404, "Job not found");

  public JobNotFoundException(long id) {
    super(PROBLEM, "No job has id " + id);
  }
}
