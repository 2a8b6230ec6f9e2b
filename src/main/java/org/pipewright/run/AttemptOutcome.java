package org.pipewright.run;

/** How one attempt at a job ended. */
public enum AttemptOutcome {
  SUCCEEDED,
  FAILED,
  /** Its worker stopped heartbeating or died; the job is tried again elsewhere. */
  LOST,
  CANCELLED
}
