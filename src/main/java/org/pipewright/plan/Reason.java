package org.pipewright.plan;

import org.jspecify.annotations.Nullable;

/**
 * Why a job will run, or why it will not: one line of Ruffus's {@code pipeline_printout}. Kept
 * compact (the text is made on demand by {@link #detail()}) because a plan of a million jobs holds
 * a million of these.
 *
 * @param code a stable token clients may switch on: {@code missing-output}, {@code missing-input},
 *     {@code no-history}, {@code command-changed}, {@code params-changed}, {@code input-newer},
 *     {@code forced}, {@code upstream}, {@code always}, {@code up-to-date}
 * @param subject the file(s) or job the reason is about, or the text of an {@code always} reason
 * @param other the output an {@code input-newer} input is compared with
 * @param count how many upstream jobs will run, for {@code upstream}
 */
public record Reason(String code, @Nullable String subject, @Nullable String other, int count) {

  private static final Reason FORCED = new Reason("forced", null, null, 0);
  private static final Reason UP_TO_DATE = new Reason("up-to-date", null, null, 0);

  /** The reason for a person, naming the files or job concerned. */
  public String detail() {
    return switch (code) {
      case "missing-output" -> "missing output " + subject;
      case "missing-input" -> "missing input " + subject + " (no task makes it)";
      case "no-history" ->
          "no completed job recorded " + subject + " (left over from a failed run?)";
      case "command-changed" -> "the task's command changed since it made " + subject;
      case "params-changed" -> "the job's parameters changed since it made " + subject;
      case "input-newer" -> "input " + subject + " is not older than output " + other;
      case "forced" -> "the task is forced to run";
      case "upstream" ->
          "job "
              + subject
              + (count > 1 ? " and " + (count - 1) + " more" : "")
              + " it depends on will run";
      case "up-to-date" -> "outputs are newer than inputs and recorded as complete";
      default -> String.valueOf(subject);
    };
  }

  static Reason missingOutput(String files) {
    return new Reason("missing-output", files, null, 0);
  }

  static Reason missingInput(String files) {
    return new Reason("missing-input", files, null, 0);
  }

  static Reason noHistory(String files) {
    return new Reason("no-history", files, null, 0);
  }

  static Reason commandChanged(String files) {
    return new Reason("command-changed", files, null, 0);
  }

  static Reason paramsChanged(String files) {
    return new Reason("params-changed", files, null, 0);
  }

  static Reason inputNewer(String input, String output) {
    return new Reason("input-newer", input, output, 0);
  }

  static Reason forced() {
    return FORCED;
  }

  static Reason upstream(String jobId, int count) {
    return new Reason("upstream", jobId, null, count);
  }

  static Reason always(String why) {
    return new Reason("always", why, null, 0);
  }

  static Reason upToDate() {
    return UP_TO_DATE;
  }
}
