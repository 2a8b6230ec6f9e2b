package org.pipewright.worker.runtime;

import org.jspecify.annotations.Nullable;

/**
 * The result of one attempt, reported until the control plane acknowledges it
 * (docs/worker-protocol.md, Completion).
 *
 * @param exitCode the shell's exit code; 0 for a Java or touch job that succeeded; null when there
 *     was none (a job that could not start, a Java job that threw)
 */
record Completion(
    AttemptId id,
    String token,
    Outcome outcome,
    @Nullable Integer exitCode,
    long startedAt,
    long finishedAt,
    @Nullable String error) {

  void writeTo(JsonWriter w) {
    w.beginObject();
    id.writeTo(w);
    w.name("token").value(token).name("outcome").value(outcome.name()).name("exitCode");
    if (exitCode == null) {
      w.value((String) null);
    } else {
      w.value(exitCode.longValue());
    }
    w.name("startedAt")
        .value(startedAt)
        .name("finishedAt")
        .value(finishedAt)
        .name("error")
        .value(error)
        .endObject();
  }

  @Override
  public String toString() {
    return id + " " + outcome + (error == null ? "" : ": " + error);
  }
}
