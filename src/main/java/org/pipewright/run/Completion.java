package org.pipewright.run;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a worker reports when an attempt ended.
 *
 * @param jobId the job
 * @param attempt the attempt's number
 * @param token the attempt's token, as leased
 * @param outcome {@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}
 * @param exitCode the shell's exit code
 * @param startedAt when it started on the worker
 * @param finishedAt when it ended
 * @param error why it failed
 */
public record Completion(
    long jobId,
    int attempt,
    String token,
    AttemptOutcome outcome,
    @Nullable Integer exitCode,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable String error) {}
