package org.pipewright.run;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** Starting a run would pass the number of runs allowed in progress at once. */
public class TooManyRunsException extends PipewrightException {

  private static final ProblemType PROBLEM = new ProblemType("too-many-runs", 429, "Too many runs");

  TooManyRunsException(int max) {
    super(
        PROBLEM,
        max
            + " runs are in progress, the most allowed at once (pipewright.runs.max-active-runs):"
            + " start this one when one of them has ended");
  }
}
