package org.pipewright.dashboard;

import java.util.Locale;
import java.util.Map;
import org.pipewright.run.JobState;

/**
 * Where a task of a run stands, judged by its jobs: the most urgent state any of them is in, so one
 * failed job among a thousand shows. Declared in the order the legend lists them. The fills are
 * from Okabe and Ito's palette (lightened where black text must read on them) and stay apart for
 * readers with any of the common colour blindnesses; captions and the legend say it in words too.
 */
enum TaskProgress {
  /** No jobs yet: deferred until a split has run, or not selected for this run. */
  WAITING("#ffffff", 0),
  QUEUED("#f0e442", 5),
  RUNNING("#56b4e9", 6),
  SUCCEEDED("#009e73", 2),
  /** Every job was up to date. */
  SKIPPED("#b8e6d6", 1),
  FAILED("#d55e00", 7),
  /** Jobs wait on a failed one and nothing of the task is queued or running. */
  BLOCKED("#e0a3c6", 4),
  CANCELLED("#999999", 3);

  private final String fill;

  /** Which state a task shows when its jobs are in several: the highest. */
  private final int urgency;

  TaskProgress(String fill, int urgency) {
    this.fill = fill;
    this.urgency = urgency;
  }

  String fill() {
    return fill;
  }

  /** The CSS class and legend label: {@code failed}. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static TaskProgress of(Map<JobState, Integer> counts) {
    TaskProgress worst = WAITING;
    for (JobState state : JobState.values()) {
      TaskProgress progress = of(state);
      if (count(counts, state) > 0 && progress.urgency > worst.urgency) {
        worst = progress;
      }
    }
    return worst;
  }

  /** How many jobs are in any of the states. */
  static int count(Map<JobState, Integer> counts, JobState... states) {
    int sum = 0;
    for (JobState state : states) {
      sum += Math.max(0, counts.getOrDefault(state, 0));
    }
    return sum;
  }

  // A switch without default, so a new job state does not compile until it is given a colour.
  private static TaskProgress of(JobState state) {
    return switch (state) {
      case PENDING, QUEUED -> QUEUED;
      case LEASED, RUNNING -> RUNNING;
      case SUCCEEDED -> SUCCEEDED;
      case SKIPPED -> SKIPPED;
      case FAILED -> FAILED;
      case BLOCKED -> BLOCKED;
      case CANCELLED -> CANCELLED;
    };
  }
}
