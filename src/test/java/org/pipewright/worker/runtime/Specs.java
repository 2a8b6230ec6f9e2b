package org.pipewright.worker.runtime;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Builders of job specs as the control plane sends them: {@code aShellJob("...").outputs("a")}. */
final class Specs {

  private long jobId = 1;
  private int attempt = 1;
  private String kind;
  private @Nullable String command;
  private @Nullable String className;
  private String workdir = "pipe";
  private List<String> inputs = List.of();
  private List<String> outputs = List.of();
  private List<String> extras = List.of();
  private List<String> mkdir = List.of();
  private @Nullable List<String> checkOutputs;
  private @Nullable String logDir;

  private Specs(String kind) {
    this.kind = kind;
  }

  static Specs aShellJob(String command) {
    Specs specs = new Specs("shell");
    specs.command = command;
    return specs;
  }

  static Specs aJavaJob(Class<?> type) {
    return aJavaJob(type.getName());
  }

  static Specs aJavaJob(String className) {
    Specs specs = new Specs("java");
    specs.className = className;
    return specs;
  }

  static Specs aTouchJob() {
    return new Specs("touch");
  }

  Specs id(long jobId, int attempt) {
    this.jobId = jobId;
    this.attempt = attempt;
    return this;
  }

  Specs kind(String kind) {
    this.kind = kind;
    return this;
  }

  Specs workdir(String workdir) {
    this.workdir = workdir;
    return this;
  }

  Specs inputs(String... inputs) {
    this.inputs = List.of(inputs);
    return this;
  }

  /** Outputs, also checked after the job unless {@link #checkOutputs} says otherwise. */
  Specs outputs(String... outputs) {
    this.outputs = List.of(outputs);
    return this;
  }

  Specs extras(String... extras) {
    this.extras = List.of(extras);
    return this;
  }

  Specs mkdir(String... mkdir) {
    this.mkdir = List.of(mkdir);
    return this;
  }

  Specs checkOutputs(String... checkOutputs) {
    this.checkOutputs = List.of(checkOutputs);
    return this;
  }

  Specs logDir(String logDir) {
    this.logDir = logDir;
    return this;
  }

  JobSpec build() {
    return new JobSpec(
        new AttemptId(jobId, attempt),
        "token-" + jobId + "-" + attempt,
        5,
        "pipeline",
        "task",
        "task:" + jobId,
        kind,
        command,
        className,
        workdir,
        inputs,
        outputs,
        extras,
        mkdir,
        checkOutputs == null ? outputs : checkOutputs,
        logDir == null ? ".pipewright/runs/5/task/" + jobId : logDir,
        0);
  }
}
