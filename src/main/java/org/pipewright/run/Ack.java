package org.pipewright.run;

import org.jspecify.annotations.Nullable;

/**
 * The answer to one completion.
 *
 * @param jobId the job
 * @param attempt the attempt's number
 * @param accepted {@code false} when the attempt had lost its lease or its run was cancelled: its
 *     result is dropped and must not be sent again
 * @param message why it was refused
 */
public record Ack(long jobId, int attempt, boolean accepted, @Nullable String message) {}
