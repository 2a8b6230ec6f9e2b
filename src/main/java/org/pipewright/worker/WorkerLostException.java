package org.pipewright.worker;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/**
 * The worker was declared lost (or never existed here): its jobs already run elsewhere, so it must
 * kill what it runs and exit.
 */
public class WorkerLostException extends PipewrightException {

  private static final ProblemType PROBLEM = new ProblemType("worker-lost", 409, "Worker lost");

  public WorkerLostException(long id) {
    super(PROBLEM, "Worker " + id + " is not alive here; kill its jobs and exit");
  }
}
