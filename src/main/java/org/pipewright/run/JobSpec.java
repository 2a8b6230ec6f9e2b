package org.pipewright.run;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One job of a run as planned: what a worker needs to run it and what the planner said. Stored with
 * the job and sent to the worker that leases it.
 *
 * @param kind {@code shell}, {@code java} or {@code touch}, or {@code none} for a task without an
 *     action (it only orders others)
 * @param command the shell command with every value substituted and quoted
 * @param className the {@code org.pipewright.sdk.Job} class of a java job
 * @param inputs files read, relative to the workdir
 * @param outputs files written; for split and subdivide the globs
 * @param extras extra parameters, substituted
 * @param after keys of the jobs of this run it waits for
 * @param checkOutputs outputs that must exist when the job ends well (not the globs)
 * @param reasons why it runs, or why it is up to date ({@code code: detail})
 * @param mkdir folders to create before it runs, relative to the workdir
 */
public record JobSpec(
    String kind,
    @Nullable String command,
    @Nullable String className,
    List<String> inputs,
    List<String> outputs,
    List<String> extras,
    List<String> after,
    List<String> checkOutputs,
    List<String> reasons,
    @Nullable List<String> mkdir) {

  public JobSpec {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    extras = List.copyOf(extras);
    after = List.copyOf(after);
    checkOutputs = List.copyOf(checkOutputs);
    reasons = List.copyOf(reasons);
    mkdir = mkdir == null ? List.of() : List.copyOf(mkdir);
  }

  /** The folders to create first, never null. */
  @Override
  public List<String> mkdir() {
    return mkdir == null ? List.of() : mkdir;
  }
}
