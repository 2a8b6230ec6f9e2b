package org.pipewright.plan;

import java.util.List;

/**
 * The answer of {@link Planner#plan}: every job with its decision, and the tasks they belong to.
 *
 * @param pipeline the pipeline's name
 * @param checksumLevel the level the decisions were made at (0 to 3)
 * @param tasks every task of the definition, in dependency order
 * @param jobs every job of the selected, active tasks, in dependency order
 * @param summary counts over both
 */
public record Plan(
    String pipeline,
    int checksumLevel,
    List<PlannedTask> tasks,
    List<PlannedJob> jobs,
    Summary summary) {

  /**
   * @param tasks tasks selected for the targets
   * @param jobs jobs known now
   * @param willRun jobs that would run
   * @param upToDate jobs that are up to date
   * @param deferredTasks tasks whose jobs are known only after a split or subdivide runs
   */
  public record Summary(int tasks, int jobs, int willRun, int upToDate, int deferredTasks) {}
}
