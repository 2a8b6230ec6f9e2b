package org.pipewright.run;

import java.util.Map;

/**
 * An active run as the metrics see it.
 *
 * @param byTask its jobs per task and state, from memory
 */
public record ActiveRunCounts(
    long runId, String pipeline, Map<String, Map<JobState, Integer>> byTask) {}
