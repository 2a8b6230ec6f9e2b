package org.pipewright.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.pipewright.run.JobState;
import org.pipewright.run.RunCounts;
import org.pipewright.run.RunProgress;
import org.pipewright.run.RunRow;
import org.pipewright.run.RunState;

/**
 * A run as the dashboard shows it in a list and at the top of its page.
 *
 * @param progress finished jobs over all jobs known, as the API and the metric report it
 * @param counts jobs per state, only the states some job is in
 * @param tasks jobs per state for each task, in plan order
 */
record RunCard(
    long id,
    String pipeline,
    int version,
    RunState state,
    double progress,
    int jobs,
    Map<JobState, Integer> counts,
    List<RunCounts.TaskCounts> tasks,
    List<String> deferredTasks,
    Instant createdAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    String duration,
    @Nullable String error,
    String request) {

  static RunCard of(RunRow run, Map<String, Map<JobState, Integer>> byTask, Instant now) {
    RunCounts counts = RunCounts.of(byTask);
    return new RunCard(
        run.id(),
        run.pipeline(),
        run.pipelineVersion(),
        run.state(),
        RunProgress.of(byTask, run.state().isFinal()),
        counts.jobs(),
        counts.byState(),
        counts.tasks(),
        run.deferredTasks(),
        run.createdAt(),
        run.startedAt(),
        run.finishedAt(),
        Durations.between(run.startedAt(), run.finishedAt(), now),
        run.error(),
        describe(run));
  }

  public boolean active() {
    return !state.isFinal();
  }

  /** Whole percent, rounded down so that 100 means every job has ended. */
  public int percent() {
    return (int) Math.floor(progress * 100);
  }

  public int count(JobState state) {
    return counts.getOrDefault(state, 0);
  }

  public int failed() {
    return count(JobState.FAILED);
  }

  public String stateClass() {
    return state.name().toLowerCase(Locale.ROOT);
  }

  private static String describe(RunRow run) {
    var request = run.request();
    List<String> parts = new ArrayList<>();
    if (!request.targets().isEmpty()) {
      parts.add("targets " + String.join(", ", request.targets()));
    }
    if (!request.forced().isEmpty()) {
      parts.add("forced " + String.join(", ", request.forced()));
    }
    if (request.touchOnly()) {
      parts.add("touch only");
    }
    if (request.keepGoing()) {
      parts.add("keep going");
    }
    parts.add("checksum level " + request.checksumLevel());
    return String.join(" · ", parts);
  }
}
