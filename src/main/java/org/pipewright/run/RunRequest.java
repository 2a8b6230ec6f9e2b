package org.pipewright.run;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.plan.PlanRequest;

/**
 * What a user asks for when starting a run, Ruffus's {@code pipeline_run(...)} arguments.
 *
 * @param pipeline the pipeline's name
 * @param version the definition version to run, or {@code null} for the newest
 * @param targets tasks to bring up to date (with what they need); empty means every task
 * @param forced tasks whose jobs run even when up to date
 * @param touchOnly Ruffus's {@code touch_files_only}: create or touch the outputs instead of
 *     running
 * @param checksumLevel 0 to 3, as for plans (default 1)
 * @param keepGoing after a job fails for good, still run every job that does not depend on it
 */
public record RunRequest(
    String pipeline,
    @Nullable Integer version,
    List<String> targets,
    List<String> forced,
    boolean touchOnly,
    int checksumLevel,
    boolean keepGoing) {

  public RunRequest {
    targets = List.copyOf(targets);
    forced = List.copyOf(forced);
  }

  /** The planner's view of this request. */
  public PlanRequest planRequest() {
    return new PlanRequest(
        new java.util.LinkedHashSet<>(targets),
        new java.util.LinkedHashSet<>(forced),
        checksumLevel);
  }
}
