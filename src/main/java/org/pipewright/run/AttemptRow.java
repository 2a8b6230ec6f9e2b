package org.pipewright.run;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One finished attempt at a job.
 *
 * @param jobId the job
 * @param attempt its number, from 1
 * @param workerId the worker it ran on
 * @param outcome how it ended
 * @param leasedAt when the worker leased it
 * @param startedAt when it started, if it did
 * @param finishedAt when it ended (or was declared lost or cancelled)
 * @param exitCode the process's exit code, for shell jobs
 * @param error why it failed
 */
public record AttemptRow(
    long jobId,
    int attempt,
    @Nullable Long workerId,
    AttemptOutcome outcome,
    @Nullable Instant leasedAt,
    @Nullable Instant startedAt,
    Instant finishedAt,
    @Nullable Integer exitCode,
    @Nullable String error) {}
