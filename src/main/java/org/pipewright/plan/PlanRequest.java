package org.pipewright.plan;

import java.util.Set;

/**
 * What to plan, as in Ruffus's {@code pipeline_run(target_tasks, forcedtorun_tasks,
 * checksum_level)}.
 *
 * @param targets tasks to bring up to date with everything they depend on; empty means all
 * @param forced tasks whose jobs run even when up to date (their dependants follow)
 * @param checksumLevel 0 timestamps only; 1 also history (default); 2 also the command; 3 also the
 *     job's parameters
 */
public record PlanRequest(Set<String> targets, Set<String> forced, int checksumLevel) {

  /** Ruffus's default level: timestamps and the history of completed jobs. */
  public static final int DEFAULT_CHECKSUM_LEVEL = 1;

  public PlanRequest {
    targets = Set.copyOf(targets);
    forced = Set.copyOf(forced);
    if (checksumLevel < 0 || checksumLevel > 3) {
      throw new PlanRequestException(
          "checksumLevel", "checksumLevel must be 0 to 3, was " + checksumLevel);
    }
  }

  /** Everything, nothing forced, the default level. */
  public static PlanRequest all() {
    return new PlanRequest(Set.of(), Set.of(), DEFAULT_CHECKSUM_LEVEL);
  }
}
