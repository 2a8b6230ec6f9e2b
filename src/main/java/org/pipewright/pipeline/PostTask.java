package org.pipewright.pipeline;

import org.jspecify.annotations.Nullable;

/**
 * Ruffus's {@code @posttask}: runs once after all jobs of a task succeeded. Exactly one of the two
 * is set.
 *
 * @param touchFile {@code touch_file(path)}: a file to create or touch, relative to the workdir
 * @param shell a command run in the workdir
 */
public record PostTask(@Nullable String touchFile, @Nullable String shell) {}
