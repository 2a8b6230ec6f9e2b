package org.pipewright.run;

import java.util.Map;

/**
 * How far a run is: jobs that ended in any way (skipped included) over all jobs known. The one
 * definition the run API and the metrics share, so the two never disagree.
 */
public final class RunProgress {

  private RunProgress() {}

  /**
   * @param byTask jobs per task and state
   * @param over whether the run has ended (a run with no jobs is then done, else not started)
   */
  public static double of(Map<String, Map<JobState, Integer>> byTask, boolean over) {
    int total = 0;
    int finished = 0;
    for (Map<JobState, Integer> task : byTask.values()) {
      for (Map.Entry<JobState, Integer> count : task.entrySet()) {
        total += count.getValue();
        if (count.getKey().isFinal()) {
          finished += count.getValue();
        }
      }
    }
    return total == 0 ? (over ? 1.0 : 0.0) : (double) finished / total;
  }
}
