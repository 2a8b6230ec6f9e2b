package org.pipewright.run;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A job as stored: its place in the run, its plan, and the columns of its current attempt.
 *
 * @param id the job's id (0 before it is stored)
 * @param runId the run it belongs to
 * @param seq its place in plan order
 * @param key {@code task:n}, unique within the run
 * @param task its task
 * @param state where it is in its life
 * @param spec what it runs and what the planner said
 * @param attempt the number of the current or last attempt, 0 before the first
 * @param lost how many attempts were lost with their worker
 * @param workerId the worker of the current attempt
 * @param tokenHash SHA-256 of the current attempt's token
 * @param queuedAt when it last became ready
 * @param leasedAt when the current attempt was leased
 * @param startedAt when the current attempt started on its worker
 * @param finishedAt when it ended
 * @param exitCode the last attempt's exit code
 * @param error why the last attempt failed, or why the job did not run
 * @param version optimistic lock, raised by every write
 */
public record JobRow(
    long id,
    long runId,
    int seq,
    String key,
    String task,
    JobState state,
    JobSpec spec,
    int attempt,
    int lost,
    @Nullable Long workerId,
    @Nullable String tokenHash,
    @Nullable Instant queuedAt,
    @Nullable Instant leasedAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable Integer exitCode,
    @Nullable String error,
    long version) {

  /** Where a job's stdout, stderr and log go, relative to the workspace root. */
  public static String logDir(long runId, String task, String key) {
    return ".pipewright/runs/" + runId + "/" + task + "/" + key.substring(key.lastIndexOf(':') + 1);
  }
}
