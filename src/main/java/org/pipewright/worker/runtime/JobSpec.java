package org.pipewright.worker.runtime;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One leased attempt as the control plane describes it (docs/worker-protocol.md, JobSpec). Paths
 * are as sent: {@code workdir} and {@code logDir} relative to the workspace root, the others to the
 * workdir; {@link JobFiles} resolves and checks them.
 */
record JobSpec(
    AttemptId id,
    String token,
    long runId,
    String pipeline,
    String task,
    String key,
    String kind,
    @Nullable String command,
    @Nullable String className,
    String workdir,
    List<String> inputs,
    List<String> outputs,
    List<String> extras,
    List<String> mkdir,
    List<String> checkOutputs,
    String logDir,
    long leaseExpiresAt) {

  static JobSpec fromJson(Map<String, Object> json) {
    return new JobSpec(
        new AttemptId(Fields.requireLong(json, "jobId"), Fields.requireInt(json, "attempt")),
        Fields.requireString(json, "token"),
        Fields.requireLong(json, "runId"),
        Fields.requireString(json, "pipeline"),
        Fields.requireString(json, "task"),
        Fields.requireString(json, "key"),
        Fields.requireString(json, "kind"),
        Fields.optString(json, "command"),
        Fields.optString(json, "className"),
        Fields.requireString(json, "workdir"),
        Fields.strings(json, "inputs"),
        Fields.strings(json, "outputs"),
        Fields.strings(json, "extras"),
        Fields.strings(json, "mkdir"),
        Fields.strings(json, "checkOutputs"),
        Fields.requireString(json, "logDir"),
        Fields.optLong(json, "leaseExpiresAt", 0));
  }

  @Override
  public String toString() {
    return id + " (" + pipeline + "/" + key + ")";
  }
}
