package org.pipewright.run;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An attempt a worker says it holds, in a heartbeat.
 *
 * @param jobId the job
 * @param attempt the attempt's number
 * @param startedAt when it started, or {@code null} while it waits on the worker
 */
public record AttemptRef(long jobId, int attempt, @Nullable Instant startedAt) {}
