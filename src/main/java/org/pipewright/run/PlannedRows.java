package org.pipewright.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.pipewright.pipeline.Action;
import org.pipewright.pipeline.PipelineDefinition;
import org.pipewright.pipeline.PostTask;
import org.pipewright.pipeline.TaskDefinition;
import org.pipewright.plan.CommandTemplate;
import org.pipewright.plan.Plan;
import org.pipewright.plan.PlannedJob;
import org.pipewright.plan.PlannedTask.TaskState;
import org.pipewright.plan.Planner;
import org.pipewright.plan.Reason;

/**
 * Turns the jobs of a plan into job rows of a run: the command substituted once, the outputs a
 * worker must find, and the planner's reasons. Up-to-date jobs are stored as {@code SKIPPED} with
 * their reason.
 */
final class PlannedRows {

  private final PipelineDefinition definition;
  private final Path workdir;
  private final Map<String, TaskDefinition> tasks = new HashMap<>();
  private final Map<String, CommandTemplate> commands = new HashMap<>();

  PlannedRows(PipelineDefinition definition, Path workspace) {
    this.definition = definition;
    this.workdir = workspace.toAbsolutePath().normalize().resolve(definition.workdir());
    definition.tasks().forEach(task -> tasks.put(task.name(), task));
  }

  /**
   * Rows for the plan's jobs of the given tasks (all when {@code only} is null), seq counted on
   * from {@code firstSeq}.
   */
  List<JobRow> rows(Plan plan, long runId, int firstSeq, @Nullable Set<String> only) {
    List<JobRow> rows = new ArrayList<>();
    List<PlannedJob> ofTask = new ArrayList<>();
    for (PlannedJob job : plan.jobs()) {
      if (only != null && !only.contains(job.task())) {
        continue;
      }
      if (!ofTask.isEmpty() && !ofTask.getFirst().task().equals(job.task())) {
        postTask(ofTask, runId, firstSeq + rows.size(), rows);
        ofTask.clear();
      }
      ofTask.add(job);
      rows.add(row(runId, firstSeq + rows.size(), job.id(), job.task(), job.willRun(), spec(job)));
    }
    if (!ofTask.isEmpty()) {
      postTask(ofTask, runId, firstSeq + rows.size(), rows);
    }
    return rows;
  }

  private static JobRow row(
      long runId, int seq, String key, String task, boolean willRun, JobSpec spec) {
    return new JobRow(
        0,
        runId,
        seq,
        key,
        task,
        willRun ? JobState.PENDING : JobState.SKIPPED,
        spec,
        0,
        0,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        0);
  }

  /**
   * Ruffus's {@code @posttask}: once every job of the task succeeded, a job {@code task:post} runs
   * its commands and touches its files, when any job of the task ran.
   */
  private void postTask(List<PlannedJob> jobs, long runId, int seq, List<JobRow> rows) {
    TaskDefinition task = tasks.get(jobs.getFirst().task());
    if (task.posttask().isEmpty() || jobs.stream().noneMatch(PlannedJob::willRun)) {
      return;
    }
    List<String> commands = new ArrayList<>();
    List<String> touched = new ArrayList<>();
    for (PostTask post : task.posttask()) {
      if (post.touchFile() != null) {
        touched.add(post.touchFile());
        commands.add("touch " + quote(post.touchFile()));
      } else if (post.shell() != null) {
        commands.add("(" + post.shell() + ")");
      }
    }
    JobSpec spec =
        new JobSpec(
            "shell",
            String.join(" && ", commands),
            null,
            List.of(),
            touched,
            List.of(),
            jobs.stream().map(PlannedJob::id).toList(),
            touched,
            List.of("posttask: runs once every job of " + task.name() + " succeeded"),
            List.of());
    rows.add(row(runId, seq, task.name() + ":post", task.name(), true, spec));
  }

  private static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  static List<String> deferredTasks(Plan plan) {
    return plan.tasks().stream()
        .filter(task -> task.state() == TaskState.DEFERRED)
        .map(task -> task.name())
        .toList();
  }

  private JobSpec spec(PlannedJob job) {
    TaskDefinition task = tasks.get(job.task());
    Action action = task.action();
    String kind = "none";
    String command = null;
    String className = null;
    switch (action) {
      case Action.Shell shell -> {
        kind = "shell";
        command =
            commands
                .computeIfAbsent(task.name(), t -> CommandTemplate.parse(shell.command()))
                .render(
                    new CommandTemplate.Values(
                        job.inputs(), job.outputs(), job.extras(), workdir.toString()));
      }
      case Action.JavaJob java -> {
        kind = "java";
        className = java.className();
      }
      case Action.Touch touch -> kind = "touch";
      case null -> {}
    }
    List<String> check = Planner.isGlobTask(task.spec()) ? List.of() : job.outputs();
    return new JobSpec(
        kind,
        command,
        className,
        job.inputs(),
        job.outputs(),
        job.extras(),
        job.after(),
        check,
        reasons(job.reasons()),
        job.mkdir());
  }

  private static List<String> reasons(List<Reason> reasons) {
    return reasons.stream().map(r -> r.code() + ": " + r.detail()).toList();
  }

  PipelineDefinition definition() {
    return definition;
  }
}
