package org.pipewright.pipeline;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One task of a pipeline: how its jobs are made from inputs ({@link TaskSpec}, the Ruffus task
 * kind), what each job does ({@link Action}) and the Ruffus modifiers.
 *
 * @param name unique within the pipeline
 * @param spec the task kind with its inputs, filter, outputs and extras
 * @param action what a job runs; {@code null} only for tasks that do nothing but order others
 * @param follows tasks that must finish first although no file passes between them
 * @param mkdir directories (templates, like outputs) created before each job runs
 * @param active {@code false} for {@code active_if: false}: the task and its outputs are left out
 * @param jobsLimit at most this many jobs of the named limit run at once, or {@code null}
 * @param posttask what runs once after every job of the task succeeded
 * @param uptodate how the planner decides whether a job is up to date
 * @param retries how many times a failed job is tried again
 * @param resources the cores and memory each job needs of its worker ({@code cpus}, {@code mem})
 */
public record TaskDefinition(
    String name,
    TaskSpec spec,
    @Nullable Action action,
    List<String> follows,
    List<String> mkdir,
    boolean active,
    @Nullable JobsLimit jobsLimit,
    List<PostTask> posttask,
    UptodateCheck uptodate,
    int retries,
    Resources resources) {

  public TaskDefinition {
    follows = List.copyOf(follows);
    mkdir = List.copyOf(mkdir);
    posttask = List.copyOf(posttask);
  }

  /** A task whose jobs run on any worker. */
  public TaskDefinition(
      String name,
      TaskSpec spec,
      @Nullable Action action,
      List<String> follows,
      List<String> mkdir,
      boolean active,
      @Nullable JobsLimit jobsLimit,
      List<PostTask> posttask,
      UptodateCheck uptodate,
      int retries) {
    this(
        name,
        spec,
        action,
        follows,
        mkdir,
        active,
        jobsLimit,
        posttask,
        uptodate,
        retries,
        Resources.NONE);
  }

  /** The Ruffus decorator name of this task's kind, as written in definitions. */
  public String kind() {
    return spec.kind();
  }
}
