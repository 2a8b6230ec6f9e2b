package org.pipewright.run;

import java.util.Collection;
import org.pipewright.plan.JobHistory;
import org.pipewright.plan.JobHistory.OutputRecord;

/**
 * The job history of every pipeline, Ruffus's {@code .ruffus_history}: which job last completed
 * each output. Implemented in {@code store}.
 */
public interface JobHistoryRepository {

  /**
   * A snapshot of one pipeline's history for the planner, read once; later records do not show in
   * it. Empty (not an error) for a pipeline that never ran.
   */
  JobHistory forPipeline(String pipeline);

  /**
   * Records that a job completed and wrote this output, replacing any earlier record of it.
   *
   * @param pipeline the pipeline's name (it must exist)
   * @param path the output, relative to the pipeline's workdir
   * @param record what the job was and the output's modification time
   */
  void record(String pipeline, String path, OutputRecord record);

  /**
   * {@link #record} for many outputs of one pipeline at once, as a scheduler step completes jobs.
   */
  default void recordAll(String pipeline, java.util.Map<String, OutputRecord> records) {
    records.forEach((path, record) -> record(pipeline, path, record));
  }

  /**
   * Forgets these outputs, as when the job that writes them starts: if it is then interrupted or
   * fails, its outputs have no record and the next plan runs it again.
   */
  void forget(String pipeline, Collection<String> paths);
}
