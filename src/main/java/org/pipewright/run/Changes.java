package org.pipewright.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.pipewright.plan.JobHistory.OutputRecord;

/**
 * What one scheduler step changed, written in one transaction before anyone sees its effect: jobs,
 * finished attempts, runs, and the job history (outputs completed, outputs of started jobs
 * forgotten).
 */
final class Changes {

  final Set<JobSlot> jobs = new LinkedHashSet<>();
  final List<AttemptRow> attempts = new ArrayList<>();
  final Set<ActiveRun> runs = new LinkedHashSet<>();
  final Map<String, Map<String, OutputRecord>> recorded = new LinkedHashMap<>();
  final Map<String, List<String>> forgotten = new HashMap<>();

  /** Jobs that ended for good; the observers hear of them only once the change is stored. */
  final List<Ended> ended = new ArrayList<>();

  /** A job that ended, as {@link RunObserver} hears of it. */
  record Ended(String pipeline, String task, JobState outcome, @Nullable Long tookNanos) {}

  /** Jobs that became ready; queued for workers only once the change is stored. */
  final List<JobSlot> readied = new ArrayList<>();

  /**
   * Whether the {@link #readied} jobs were queued before the step was stored, so that the same step
   * could hand them out ({@link WorkingSet#queueNow}).
   */
  boolean queuedEarly;

  void job(JobSlot slot) {
    jobs.add(slot);
  }

  void run(ActiveRun run) {
    runs.add(run);
  }

  void record(String pipeline, String path, OutputRecord record) {
    recorded.computeIfAbsent(pipeline, p -> new LinkedHashMap<>()).put(path, record);
  }

  void forget(String pipeline, List<String> paths) {
    forgotten.computeIfAbsent(pipeline, p -> new ArrayList<>()).addAll(paths);
  }

  /** Adds what a later part of the same step changed, to be stored with this. */
  void add(Changes later) {
    jobs.addAll(later.jobs);
    attempts.addAll(later.attempts);
    runs.addAll(later.runs);
    later.recorded.forEach((pipeline, records) ->
        recorded.computeIfAbsent(pipeline, p -> new LinkedHashMap<>()).putAll(records));
    later.forgotten.forEach((pipeline, paths) ->
        forgotten.computeIfAbsent(pipeline, p -> new ArrayList<>()).addAll(paths));
    ended.addAll(later.ended);
    readied.addAll(later.readied);
  }

  boolean isEmpty() {
    return jobs.isEmpty()
        && attempts.isEmpty()
        && runs.isEmpty()
        && recorded.isEmpty()
        && forgotten.isEmpty();
  }
}
