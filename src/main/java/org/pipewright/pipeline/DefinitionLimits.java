package org.pipewright.pipeline;

/**
 * Bounds on what {@link DefinitionParser} accepts, so that a posted definition cannot exhaust
 * memory or time.
 *
 * @param maxBytes the largest body, in bytes
 * @param maxTasks the most tasks in one definition
 * @param maxNestingDepth the deepest nesting of mappings and lists
 * @param maxAliases the most YAML aliases ({@code *name}) in one document
 * @param maxNodes the most values in the tree once every alias is expanded; together with {@code
 *     maxAliases} it stops "billion laughs" documents without expanding them
 * @param maxStringLength the longest string (a value or a key), in chars
 * @param maxJobsPerExplicitList the most entries in a list that spells out jobs one by one: {@code
 *     originate} outputs, {@code files} jobs, {@code parallel} parameter lists
 */
public record DefinitionLimits(
    int maxBytes,
    int maxTasks,
    int maxNestingDepth,
    int maxAliases,
    int maxNodes,
    int maxStringLength,
    int maxJobsPerExplicitList) {

  /** One MiB, 1000 tasks, depth 32, 50 aliases, 100,000 values, 64 Ki chars, 10,000 jobs. */
  public static final DefinitionLimits DEFAULTS =
      new DefinitionLimits(1 << 20, 1000, 32, 50, 100_000, 1 << 16, 10_000);

  public DefinitionLimits {
    if (maxBytes < 1
        || maxTasks < 1
        || maxNestingDepth < 2
        || maxAliases < 0
        || maxNodes < 1
        || maxStringLength < 1
        || maxJobsPerExplicitList < 1) {
      throw new IllegalArgumentException("definition limits must be positive: " + this);
    }
  }

  /** These limits with another task count. */
  public DefinitionLimits withMaxTasks(int maxTasks) {
    return new DefinitionLimits(
        maxBytes,
        maxTasks,
        maxNestingDepth,
        maxAliases,
        maxNodes,
        maxStringLength,
        maxJobsPerExplicitList);
  }
}
