package org.pipewright.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pipewright.pipeline.InputRef;
import org.pipewright.pipeline.PipelineDefinition;
import org.pipewright.pipeline.TaskDefinition;
import org.pipewright.pipeline.TaskSpec;
import org.pipewright.plan.PlannedTask.TaskState;

/**
 * Ruffus's {@code pipeline_printout} as a pure function: definition + files on disk + job history
 * -> every job, its inputs, outputs and extras, the jobs it waits for, and whether it runs and why.
 *
 * <p>Tasks are expanded in dependency order, so by the time a job is judged every job it depends on
 * has been: a job runs when one of them does (Ruffus's {@code gnu_make_maximal_rebuild_mode}).
 */
public final class Planner {

  /** Refuse plans beyond this many jobs; a million is far past any pipeline seen in practice. */
  public static final int DEFAULT_MAX_JOBS = 2_000_000;

  private final int maxJobs;

  public Planner() {
    this(DEFAULT_MAX_JOBS);
  }

  public Planner(int maxJobs) {
    this.maxJobs = maxJobs;
  }

  public Plan plan(
      PipelineDefinition definition, FileState files, JobHistory history, PlanRequest request) {
    TaskGraph graph = new TaskGraph(definition);
    for (String name : request.targets()) {
      if (!graph.has(name)) {
        throw new PlanRequestException("targets", "no task named '" + name + "'");
      }
    }
    for (String name : request.forced()) {
      if (!graph.has(name)) {
        throw new PlanRequestException("forced", "no task named '" + name + "'");
      }
    }
    return new Run(graph, files, history, request).plan(definition.name());
  }

  /** The state of one planning pass. */
  private final class Run {
    private final TaskGraph graph;
    private final FileState files;
    private final UptodateJudge judge;
    private final PlanRequest request;
    private final List<PlannedJob> jobs = new ArrayList<>();
    private final Map<String, TaskOutputs> outputs = new HashMap<>();
    private final StringLongMap writers = new StringLongMap(1024);

    Run(TaskGraph graph, FileState files, JobHistory history, PlanRequest request) {
      this.graph = graph;
      this.files = files;
      this.judge = new UptodateJudge(files, history, request.checksumLevel());
      this.request = request;
    }

    Plan plan(String pipeline) {
      Set<String> targets = new java.util.LinkedHashSet<>(request.targets());
      if (!targets.isEmpty()) {
        targets.addAll(request.forced());
      }
      Set<String> selected = graph.selection(targets);
      List<PlannedTask> tasks = new ArrayList<>();
      int deferred = 0;
      for (TaskDefinition task : graph.order()) {
        PlannedTask planned = planTask(task, selected.contains(task.name()));
        tasks.add(planned);
        if (planned.state() == TaskState.DEFERRED) {
          deferred++;
        }
      }
      int willRun = 0;
      for (PlannedJob job : jobs) {
        if (job.willRun()) {
          willRun++;
        }
      }
      var summary =
          new Plan.Summary(selected.size(), jobs.size(), willRun, jobs.size() - willRun, deferred);
      return new Plan(pipeline, request.checksumLevel(), tasks, List.copyOf(jobs), summary);
    }

    private PlannedTask planTask(TaskDefinition task, boolean selected) {
      String name = task.name();
      List<String> upstream = graph.upstream(name);
      boolean forced = request.forced().contains(name);
      TaskState state;
      if (!selected) {
        state = TaskState.NOT_SELECTED;
      } else if (!task.active()) {
        state = TaskState.INACTIVE;
      } else if (upstream.stream()
          .anyMatch(u -> outputs.containsKey(u) && outputs.get(u).deferred())) {
        state = TaskState.DEFERRED;
      } else {
        state = null;
      }
      if (state != null) {
        // Inactive tasks pass nothing on (Ruffus: _get_output_files returns []); deferred ones
        // pass on that their dependants are deferred too.
        outputs.put(name, new TaskOutputs(List.of(), state == TaskState.DEFERRED));
        return new PlannedTask(name, task.kind(), upstream, task.follows(), state, 0, 0, forced);
      }
      if (jobs.size() > maxJobs) {
        throw new PlanTooLargeException(maxJobs);
      }
      List<JobDraft> drafts =
          new JobExpander(this::resolve, maxJobs - jobs.size()).expand(task.spec());
      if (jobs.size() + drafts.size() > maxJobs) {
        throw new PlanTooLargeException(maxJobs); // a task's drafts are as many as its inputs
      }
      JobJudging judging = new JobJudging(task, forced, judge, files, jobs, writers);
      TaskOutputs produced = judging.judgeAll(drafts);
      outputs.put(name, produced);
      return new PlannedTask(
          name,
          task.kind(),
          upstream,
          task.follows(),
          produced.anyRuns() ? TaskState.WILL_RUN : TaskState.UP_TO_DATE,
          drafts.size(),
          produced.toRun(),
          forced);
    }

    private List<Item> resolve(List<InputRef> refs) {
      if (refs.size() == 1) {
        return resolve(refs.getFirst());
      }
      List<Item> items = new ArrayList<>();
      for (InputRef ref : refs) {
        items.addAll(resolve(ref));
      }
      return items;
    }

    private List<Item> resolve(InputRef ref) {
      return switch (ref) {
        case InputRef.TaskOutput(String task) -> ruffusOrder(outputs.get(task).items());
        case InputRef.Pattern(String pattern) ->
            Globs.isGlob(pattern)
                ? files.glob(pattern).stream().map(Item::onDisk).toList()
                : List.of(Item.onDisk(pattern));
      };
    }
  }

  /**
   * Ruffus's {@code _get_output_files} hands on a task's items sorted by {@code str()}: a file by
   * its name, a job's several outputs by Python's list repr ({@code "['b.1', 'b.2']"}, which sorts
   * before {@code "a.1"}). The order decides which tuples combinations make.
   */
  static List<Item> ruffusOrder(List<Item> items) {
    int n = items.size();
    String[] keys = new String[n];
    boolean sorted = true;
    for (int i = 0; i < n; i++) {
      keys[i] = pythonStr(items.get(i).files());
      sorted &= i == 0 || keys[i - 1].compareTo(keys[i]) <= 0;
    }
    if (sorted) {
      return items;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> keys[a].compareTo(keys[b]));
    List<Item> result = new ArrayList<>(n);
    for (int i : order) {
      result.add(items.get(i));
    }
    return result;
  }

  private static String pythonStr(List<String> files) {
    if (files.size() == 1) {
      return files.getFirst();
    }
    StringBuilder repr = new StringBuilder("[");
    for (String file : files) {
      repr.append(repr.length() == 1 ? "'" : ", '").append(file).append('\'');
    }
    return repr.append(']').toString();
  }

  /**
   * What a task hands downstream.
   *
   * @param items its outputs as Ruffus's input items
   * @param deferred its outputs are globs of a job that has yet to run
   */
  record TaskOutputs(List<Item> items, boolean deferred, int toRun) {
    TaskOutputs(List<Item> items, boolean deferred) {
      this(items, deferred, 0);
    }

    boolean anyRuns() {
      return toRun > 0;
    }
  }

  public static boolean isGlobTask(TaskSpec spec) {
    return spec instanceof TaskSpec.Split || spec instanceof TaskSpec.Subdivide;
  }
}
