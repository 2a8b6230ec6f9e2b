package org.pipewright.pipeline;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds on what a client may post, so a definition can never exhaust the service.
 *
 * @param maxBodyBytes largest request body accepted, in bytes; larger bodies are refused with 413
 *     before they are read whole (default 1 MiB)
 * @param maxTasks most tasks one definition may declare (default 1000)
 * @param maxNestingDepth deepest nesting of YAML/JSON objects and arrays in a definition (default
 *     32)
 */
@ConfigurationProperties("pipewright.pipelines")
public record PipelineProperties(
    @DefaultValue("1048576") long maxBodyBytes,
    @DefaultValue("1000") int maxTasks,
    @DefaultValue("32") int maxNestingDepth) {

  public PipelineProperties {
    if (maxBodyBytes <= 0 || maxTasks <= 0 || maxNestingDepth <= 0) {
      throw new IllegalArgumentException("pipewright.pipelines limits must be positive");
    }
  }
}
