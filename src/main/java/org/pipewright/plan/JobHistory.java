package org.pipewright.plan;

import java.util.Optional;

/**
 * What earlier runs recorded about the outputs they completed, Ruffus's {@code .ruffus_history}. An
 * output whose job was interrupted or failed has no record.
 */
public interface JobHistory {

  /** A history that knows nothing, as for a pipeline that never ran. */
  JobHistory EMPTY = path -> Optional.empty();

  /** The record of the completed job that last wrote this output (workdir-relative path). */
  Optional<OutputRecord> lookup(String path);

  /**
   * @param actionDigest digest of the task's command or class when the job completed (level 2)
   * @param paramsDigest digest of the job's inputs, outputs and extras (level 3)
   * @param modifiedNanos the output's modification time recorded when the job completed
   */
  record OutputRecord(String actionDigest, String paramsDigest, long modifiedNanos) {}
}
