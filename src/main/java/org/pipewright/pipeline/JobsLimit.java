package org.pipewright.pipeline;

/**
 * Ruffus's {@code @jobs_limit(n, name)}: tasks naming the same limit share its {@code n} slots.
 *
 * @param name the limit's name; a task without one gets a limit of its own named after it
 * @param limit at most this many jobs at once, at least 1
 */
public record JobsLimit(String name, int limit) {}
