package org.pipewright.plan;

import java.util.List;

/**
 * One task of a plan, for summaries and the task graph.
 *
 * @param name the task's name
 * @param kind the Ruffus kind (transform, merge, ...)
 * @param upstream tasks whose outputs it reads
 * @param follows tasks it runs after although no file passes between them
 * @param state what a run would do with it
 * @param jobs how many jobs it has (0 while {@link TaskState#DEFERRED})
 * @param jobsToRun how many of them would run
 * @param forced whether the request forced it
 */
public record PlannedTask(
    String name,
    String kind,
    List<String> upstream,
    List<String> follows,
    TaskState state,
    int jobs,
    int jobsToRun,
    boolean forced) {

  /** What a run would do with a task. */
  public enum TaskState {
    /** At least one job would run. */
    WILL_RUN,
    /** Every job is up to date. */
    UP_TO_DATE,
    /** Its inputs are the glob outputs of a split or subdivide that must run first. */
    DEFERRED,
    /** {@code active_if: false}. */
    INACTIVE,
    /** Not needed for the requested targets. */
    NOT_SELECTED
  }
}
