package org.pipewright.sharedlog;

import java.util.OptionalLong;

/** The runs and jobs a record may name; answered by the run store, asked here. */
public interface LogTargets {

  /** Whether a run with this id exists. */
  boolean runExists(long runId);

  /** The run of a job, or empty when there is no such job. */
  OptionalLong runOfJob(long jobId);
}
