package org.pipewright.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.pipewright.pipeline.UptodateCheck;

/**
 * Decides whether one job is out of date, with Ruffus's rules
 * ({@code needs_update_check_modify_time} in {@code file_name_parameters.py}): a job with no
 * outputs always runs; a missing input or output makes it run; from level 1 an output with no
 * completed record does; from level 2 a changed command, from level 3 changed parameters; and an
 * input at least as new as the oldest output does. Times recorded in the history win over the
 * file's own time when they are within 1.1 s, as Ruffus does to get past coarse file-system clocks.
 */
final class UptodateJudge {

  /** Ruffus prefers the recorded completion time unless it is more than 1.1 s after the file's. */
  private static final long RECORD_SLACK_NANOS = 1_100_000_000L;

  private final FileState files;
  private final JobHistory history;
  private final int level;

  UptodateJudge(FileState files, JobHistory history, int level) {
    this.files = files;
    this.history = history;
    this.level = level;
  }

  /**
   * @param outputs the job's outputs, with globs already resolved to the files present
   * @param actionDigest the task's current {@link JobDigests#action} (for level 2)
   * @return the reasons the job must run; empty when it is up to date
   */
  List<Reason> judge(
      JobDraft job, List<String> outputs, UptodateCheck check, String actionDigest) {
    if (check == UptodateCheck.ALWAYS) {
      return List.of(Reason.always("check_if_uptodate: always"));
    }
    if (outputs.isEmpty()) {
      return List.of(
          Reason.always(job.globOutputs ? "no file matches " + String.join(" ", job.outputs) : "the job has no outputs, so it always runs"));
    }
    List<Reason> reasons = new ArrayList<>(1);
    List<String> missing = missing(outputs);
    if (!missing.isEmpty()) {
      reasons.add(Reason.missingOutput(names(missing)));
    }
    List<String> missingInputs = missing(job.inputs);
    if (!missingInputs.isEmpty()) {
      reasons.add(Reason.missingInput(names(missingInputs)));
    }
    if (!reasons.isEmpty() || check == UptodateCheck.OUTPUTS_EXIST) {
      return reasons;
    }
    if (level >= 1) {
      Optional<Reason> historyReason = fromHistory(job, outputs, actionDigest);
      if (historyReason.isPresent()) {
        return List.of(historyReason.get());
      }
    }
    return newerInput(job.inputs, outputs).map(List::of).orElse(List.of());
  }

  private Optional<Reason> fromHistory(JobDraft job, List<String> outputs, String actionDigest) {
    List<String> unrecorded = new ArrayList<>();
    List<String> commandChanged = new ArrayList<>();
    List<String> paramsChanged = new ArrayList<>();
    String params = null;
    for (String output : outputs) {
      JobHistory.OutputRecord record = history.lookup(output).orElse(null);
      if (record == null) {
        unrecorded.add(output);
      } else if (level >= 2 && !record.actionDigest().equals(actionDigest)) {
        commandChanged.add(output);
      } else if (level >= 3) {
        if (params == null) {
          params = JobDigests.params(job.inputs, job.outputs, job.extras);
        }
        if (!record.paramsDigest().equals(params)) {
          paramsChanged.add(output);
        }
      }
    }
    if (!unrecorded.isEmpty()) {
      return Optional.of(Reason.noHistory(names(unrecorded)));
    }
    if (!commandChanged.isEmpty()) {
      return Optional.of(Reason.commandChanged(names(commandChanged)));
    }
    if (!paramsChanged.isEmpty()) {
      return Optional.of(Reason.paramsChanged(names(paramsChanged)));
    }
    return Optional.empty();
  }

  private Optional<Reason> newerInput(List<String> inputs, List<String> outputs) {
    if (inputs.isEmpty()) {
      return Optional.empty();
    }
    long newestInput = Long.MIN_VALUE;
    String newestInputName = null;
    Set<String> inputSet = inputs.size() > 8 ? new HashSet<>(inputs) : null;
    for (String input : inputs) {
      long time = inputTime(input);
      if (time > newestInput) {
        newestInput = time;
        newestInputName = input;
      }
    }
    for (String output : outputs) {
      // An output that is also an input (passed through) has its time by definition.
      if (inputSet != null ? inputSet.contains(output) : inputs.contains(output)) {
        continue;
      }
      if (newestInput >= outputTime(output)) {
        return Optional.of(Reason.inputNewer(newestInputName, output));
      }
    }
    return Optional.empty();
  }

  private long inputTime(String input) {
    long onDisk = files.modifiedNanos(input).orElseThrow();
    if (level >= 1) {
      Optional<JobHistory.OutputRecord> record = history.lookup(input);
      if (record.isPresent()) {
        return Math.max(onDisk, record.get().modifiedNanos());
      }
    }
    return onDisk;
  }

  private long outputTime(String output) {
    long onDisk = files.modifiedNanos(output).orElseThrow();
    if (level >= 1) {
      Optional<JobHistory.OutputRecord> record = history.lookup(output);
      if (record.isPresent() && record.get().modifiedNanos() - onDisk <= RECORD_SLACK_NANOS) {
        return record.get().modifiedNanos();
      }
    }
    return onDisk;
  }

  private List<String> missing(List<String> paths) {
    List<String> missing = null;
    for (String path : paths) {
      OptionalLong time = files.modifiedNanos(path);
      if (time.isEmpty()) {
        if (missing == null) {
          missing = new ArrayList<>();
        }
        missing.add(path);
      }
    }
    return missing == null ? List.of() : missing;
  }

  /** At most three names, so a merge of thousands of files stays one readable line. */
  static String names(List<String> paths) {
    if (paths.size() <= 3) {
      return String.join(", ", paths);
    }
    return String.join(", ", paths.subList(0, 3)) + " and " + (paths.size() - 3) + " more";
  }
}
