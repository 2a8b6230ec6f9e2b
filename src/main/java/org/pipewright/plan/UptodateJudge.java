package org.pipewright.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.pipewright.pipeline.UptodateCheck;

/**
 * Decides whether one job is out of date, with Ruffus's rules ({@code
 * needs_update_check_modify_time} in {@code file_name_parameters.py}): a job with no outputs always
 * runs; a missing input or output makes it run; from level 1 an output with no completed record
 * does; from level 2 a changed command, from level 3 changed parameters; and an input at least as
 * new as the oldest output does. Times recorded in the history win over the file's own time when
 * they are within 1.1 s, as Ruffus does to get past coarse file-system clocks.
 */
final class UptodateJudge {

  /** Ruffus prefers the recorded completion time unless it is more than 1.1 s after the file's. */
  private static final long RECORD_SLACK_NANOS = 1_100_000_000L;

  private final FileState files;
  private long @Nullable [] lastOutputTimes;
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
  List<Reason> judge(JobDraft job, List<String> outputs, UptodateCheck check, String actionDigest) {
    lastOutputTimes = null;
    if (check == UptodateCheck.ALWAYS) {
      return List.of(Reason.always("check_if_uptodate: always"));
    }
    if (outputs.isEmpty()) {
      return List.of(
          Reason.always(
              job.globOutputs
                  ? "no file matches " + String.join(" ", job.outputs)
                  : "the job has no outputs, so it always runs"));
    }
    // Each file's time and record are read once: plans of a million jobs are bound by look-ups.
    int n = outputs.size();
    long[] outputTimes = new long[n];
    JobHistory.OutputRecord[] records = new JobHistory.OutputRecord[n];
    List<String> missingOutputs = null;
    for (int i = 0; i < n; i++) {
      OptionalLong time = files.modifiedNanos(outputs.get(i));
      if (time.isEmpty()) {
        missingOutputs = add(missingOutputs, outputs.get(i));
      } else {
        outputTimes[i] = time.getAsLong();
        records[i] = level >= 1 ? history.lookup(outputs.get(i)).orElse(null) : null;
      }
    }
    // Inputs made by up-to-date jobs come with their time; only the others are looked up.
    long newestInput = job.knownNewest;
    String newestInputName = job.knownNewestFile;
    List<String> missingInputs = null;
    for (String input : job.unknownInputs) {
      OptionalLong time = files.modifiedNanos(input);
      if (time.isEmpty()) {
        missingInputs = add(missingInputs, input);
        continue;
      }
      long effective = time.getAsLong();
      if (level >= 1) {
        JobHistory.OutputRecord record = history.lookup(input).orElse(null);
        if (record != null) {
          effective = Math.max(effective, record.modifiedNanos());
        }
      }
      if (effective > newestInput) {
        newestInput = effective;
        newestInputName = input;
      }
    }
    if (missingOutputs != null || missingInputs != null) {
      List<Reason> reasons = new ArrayList<>(2);
      if (missingOutputs != null) {
        reasons.add(Reason.missingOutput(names(missingOutputs)));
      }
      if (missingInputs != null) {
        reasons.add(Reason.missingInput(names(missingInputs)));
      }
      return reasons;
    }
    if (check == UptodateCheck.OUTPUTS_EXIST) {
      return List.of();
    }
    if (level >= 1) {
      Reason historyReason = fromHistory(job, outputs, records, actionDigest);
      if (historyReason != null) {
        return List.of(historyReason);
      }
    }
    long[] seen = new long[n];
    for (int i = 0; i < n; i++) {
      seen[i] =
          records[i] == null
              ? outputTimes[i]
              : Math.max(outputTimes[i], records[i].modifiedNanos());
    }
    lastOutputTimes = seen;
    if (newestInputName == null) {
      return List.of();
    }
    Set<String> inputSet = job.inputs.size() > 8 ? new HashSet<>(job.inputs) : null;
    for (int i = 0; i < n; i++) {
      String output = outputs.get(i);
      // An output that is also an input (passed through) has its time by definition.
      if (inputSet != null ? inputSet.contains(output) : job.inputs.contains(output)) {
        continue;
      }
      // Ruffus prefers the recorded completion time unless it is over 1.1 s after the file's.
      JobHistory.OutputRecord record = records[i];
      long time =
          record != null && record.modifiedNanos() - outputTimes[i] <= RECORD_SLACK_NANOS
              ? record.modifiedNanos()
              : outputTimes[i];
      if (newestInput >= time) {
        return List.of(Reason.inputNewer(newestInputName, output));
      }
    }
    return List.of();
  }

  /**
   * The times of a job's outputs as a dependant sees them as inputs (the later of the file's and
   * the recorded time), read after {@link #judge} found the job up to date; {@code null} when the
   * judge did not read them all.
   */
  long @Nullable [] lastOutputTimes() {
    return lastOutputTimes;
  }

  private @Nullable Reason fromHistory(
      JobDraft job, List<String> outputs, JobHistory.OutputRecord[] records, String actionDigest) {
    List<String> unrecorded = null;
    List<String> commandChanged = null;
    List<String> paramsChanged = null;
    String params = null;
    for (int i = 0; i < outputs.size(); i++) {
      JobHistory.OutputRecord record = records[i];
      if (record == null) {
        unrecorded = add(unrecorded, outputs.get(i));
      } else if (level >= 2 && !record.actionDigest().equals(actionDigest)) {
        commandChanged = add(commandChanged, outputs.get(i));
      } else if (level >= 3) {
        if (params == null) {
          params = JobDigests.params(job.inputs, job.outputs, job.extras);
        }
        if (!record.paramsDigest().equals(params)) {
          paramsChanged = add(paramsChanged, outputs.get(i));
        }
      }
    }
    if (unrecorded != null) {
      return Reason.noHistory(names(unrecorded));
    }
    if (commandChanged != null) {
      return Reason.commandChanged(names(commandChanged));
    }
    if (paramsChanged != null) {
      return Reason.paramsChanged(names(paramsChanged));
    }
    return null;
  }

  private static List<String> add(@Nullable List<String> list, String value) {
    List<String> result = list == null ? new ArrayList<>() : list;
    result.add(value);
    return result;
  }

  /** At most three names, so a merge of thousands of files stays one readable line. */
  static String names(List<String> paths) {
    if (paths.size() == 1) {
      return paths.getFirst();
    }
    if (paths.size() <= 3) {
      return String.join(", ", paths);
    }
    return String.join(", ", paths.subList(0, 3)) + " and " + (paths.size() - 3) + " more";
  }
}
