package org.pipewright.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.pipewright.run.AttemptRow;
import org.pipewright.run.JobRow;
import org.pipewright.run.JobState;
import org.pipewright.run.RunCounts;
import org.pipewright.run.RunProgress;
import org.pipewright.run.RunRequest;
import org.pipewright.run.RunRow;
import org.pipewright.run.RunState;

/** What the run API answers: runs with their counts and progress, jobs with their attempts. */
final class RunViews {

  private RunViews() {}

  /**
   * @param progress finished jobs (ended in any way, skipped included) over all jobs known
   * @param counts jobs per state, over all tasks
   * @param tasks jobs per state for each task, in plan order
   * @param deferredTasks tasks not yet planned because a split or subdivide must run first
   * @param durationMs from start to end, or to now while it runs
   */
  record RunView(
      long id,
      String pipeline,
      int version,
      RunState state,
      double progress,
      int jobs,
      Map<JobState, Integer> counts,
      List<RunCounts.TaskCounts> tasks,
      List<String> deferredTasks,
      RunRequest request,
      Instant createdAt,
      @Nullable Instant startedAt,
      @Nullable Instant finishedAt,
      @Nullable Long durationMs,
      @Nullable String error) {}

  static RunView run(RunRow run, Map<String, Map<JobState, Integer>> byTask) {
    RunCounts counts = RunCounts.of(byTask);
    double progress = RunProgress.of(byTask, run.state().isFinal());
    Long duration = null;
    if (run.startedAt() != null) {
      Instant end = run.finishedAt() != null ? run.finishedAt() : Instant.now();
      duration = Duration.between(run.startedAt(), end).toMillis();
    }
    return new RunView(
        run.id(),
        run.pipeline(),
        run.pipelineVersion(),
        run.state(),
        progress,
        counts.jobs(),
        counts.byState(),
        counts.tasks(),
        run.deferredTasks(),
        run.request(),
        run.createdAt(),
        run.startedAt(),
        run.finishedAt(),
        duration,
        run.error());
  }

  record JobPage(long total, int offset, int limit, List<JobSummary> jobs) {}

  record JobSummary(
      long id,
      String key,
      String task,
      JobState state,
      int attempt,
      List<String> inputs,
      List<String> outputs,
      @Nullable Long workerId,
      @Nullable Instant startedAt,
      @Nullable Instant finishedAt,
      @Nullable Integer exitCode,
      @Nullable String error) {}

  static JobSummary jobSummary(JobRow job) {
    return new JobSummary(
        job.id(),
        job.key(),
        job.task(),
        job.state(),
        job.attempt(),
        job.spec().inputs(),
        job.spec().outputs(),
        job.workerId(),
        job.startedAt(),
        job.finishedAt(),
        job.exitCode(),
        job.error());
  }

  /**
   * @param command the shell command as run, every value substituted and quoted
   * @param reasons why the planner ran it, or why it was up to date
   * @param logDir where its stdout, stderr and log are, relative to the workspace root
   */
  record JobView(
      long id,
      long runId,
      String key,
      String task,
      JobState state,
      String kind,
      @Nullable String command,
      @Nullable String className,
      List<String> inputs,
      List<String> outputs,
      List<String> extras,
      List<String> after,
      List<String> reasons,
      int attempt,
      int lost,
      @Nullable Long workerId,
      @Nullable Instant queuedAt,
      @Nullable Instant leasedAt,
      @Nullable Instant startedAt,
      @Nullable Instant finishedAt,
      @Nullable Integer exitCode,
      @Nullable String error,
      String logDir,
      List<AttemptRow> attempts) {}

  static JobView job(JobRow job, List<AttemptRow> attempts) {
    String logDir = JobRow.logDir(job.runId(), job.task(), job.key());
    return new JobView(
        job.id(),
        job.runId(),
        job.key(),
        job.task(),
        job.state(),
        job.spec().kind(),
        job.spec().command(),
        job.spec().className(),
        job.spec().inputs(),
        job.spec().outputs(),
        job.spec().extras(),
        job.spec().after(),
        job.spec().reasons(),
        job.attempt(),
        job.lost(),
        job.workerId(),
        job.queuedAt(),
        job.leasedAt(),
        job.startedAt(),
        job.finishedAt(),
        job.exitCode(),
        job.error(),
        logDir,
        attempts);
  }
}
