package org.pipewright.plan;

/**
 * Why a job will run, or why it will not: one line of Ruffus's {@code pipeline_printout}.
 *
 * @param code a stable token clients may switch on (see the factory methods)
 * @param detail the same for a person, naming the files or job concerned
 */
public record Reason(String code, String detail) {

  static Reason missingOutput(String files) {
    return new Reason("missing-output", "missing output " + files);
  }

  static Reason missingInput(String files) {
    return new Reason("missing-input", "missing input " + files + " (no task makes it)");
  }

  static Reason noHistory(String files) {
    return new Reason(
        "no-history", "no completed job recorded " + files + " (left over from a failed run?)");
  }

  static Reason commandChanged(String files) {
    return new Reason("command-changed", "the task's command changed since it made " + files);
  }

  static Reason paramsChanged(String files) {
    return new Reason("params-changed", "the job's parameters changed since it made " + files);
  }

  static Reason inputNewer(String input, String output) {
    return new Reason("input-newer", "input " + input + " is not older than output " + output);
  }

  static Reason forced() {
    return new Reason("forced", "the task is forced to run");
  }

  static Reason upstream(String jobId, int count) {
    String more = count > 1 ? " and " + (count - 1) + " more" : "";
    return new Reason("upstream", "job " + jobId + more + " it depends on will run");
  }

  static Reason always(String why) {
    return new Reason("always", why);
  }

  static Reason upToDate() {
    return new Reason("up-to-date", "outputs are newer than inputs and recorded as complete");
  }
}
