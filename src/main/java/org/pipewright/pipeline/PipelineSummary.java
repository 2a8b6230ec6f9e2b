package org.pipewright.pipeline;

import java.time.Instant;

/**
 * A pipeline in a listing.
 *
 * @param name the pipeline's name
 * @param latestVersion its newest version number
 * @param versions how many versions it has
 * @param updatedAt when its newest version was stored
 */
public record PipelineSummary(String name, int latestVersion, int versions, Instant updatedAt) {}
