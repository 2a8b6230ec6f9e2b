package org.pipewright.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.pipewright.pipeline.Action;
import org.pipewright.pipeline.PathRules;
import org.pipewright.pipeline.TaskDefinition;
import org.pipewright.pipeline.TaskSpec;

/** Judges the jobs of one task in turn and works out what the task hands downstream. */
final class JobJudging {

  private static final List<Reason> UP_TO_DATE = List.of(Reason.upToDate());

  private final TaskDefinition task;
  private final boolean replacesInputs;
  private final boolean forced;
  private final UptodateJudge judge;
  private final FileState files;
  private final List<PlannedJob> jobs;
  private final StringLongMap writers;
  private final String actionDigest;

  JobJudging(
      TaskDefinition task,
      boolean forced,
      UptodateJudge judge,
      FileState files,
      List<PlannedJob> jobs,
      StringLongMap writers) {
    this.task = task;
    this.replacesInputs = replacesInputs(task.spec());
    this.forced = forced;
    this.judge = judge;
    this.files = files;
    this.jobs = jobs;
    this.writers = writers;
    Action action = task.action();
    this.actionDigest = action == null ? "" : JobDigests.action(action);
  }

  Planner.TaskOutputs judgeAll(List<JobDraft> drafts) {
    List<Item> items = new ArrayList<>(drafts.size());
    writers.ensureCapacity(writers.size() + drafts.size());
    boolean deferred = false;
    int toRun = 0;
    int number = 0;
    for (JobDraft draft : drafts) {
      int index = jobs.size();
      String id = task.name() + ":" + (++number);
      refuseClimbing(draft.outputs);
      refuseClimbing(draft.inputs);
      List<String> outputs = draft.globOutputs ? resolveGlobs(draft.outputs) : draft.outputs;
      if (!draft.globOutputs) {
        claim(index, id, draft.outputs);
      }
      List<Reason> reasons = reasons(draft, outputs);
      boolean willRun = !reasons.isEmpty();
      if (willRun) {
        toRun++;
      }
      List<String> shownOutputs = draft.globOutputs && !willRun ? outputs : draft.outputs;
      jobs.add(
          new PlannedJob(
              id,
              task.name(),
              draft.inputs,
              shownOutputs,
              draft.extras,
              after(draft),
              willRun,
              willRun ? reasons : UP_TO_DATE,
              refuseClimbing(mkdir(draft))));
      long[] times = willRun ? null : judge.lastOutputTimes();
      if (draft.globOutputs) {
        if (willRun) {
          deferred = true;
        } else {
          for (int i = 0; i < outputs.size(); i++) {
            String file = outputs.get(i);
            items.add(
                times == null
                    ? new Item(List.of(file), index)
                    : new Item(List.of(file), index, times[i], file));
          }
        }
      } else if (!outputs.isEmpty()) {
        items.add(item(outputs, index, times));
      }
    }
    return new Planner.TaskOutputs(items, deferred, toRun);
  }

  /** An item with the newest time of its files, when the judge read them. */
  private static Item item(
      List<String> outputs, int index, long @org.jspecify.annotations.Nullable [] times) {
    if (times == null) {
      return new Item(outputs, index);
    }
    int newest = 0;
    for (int i = 1; i < times.length; i++) {
      if (times[i] > times[newest]) {
        newest = i;
      }
    }
    return new Item(outputs, index, times[newest], outputs.get(newest));
  }

  private List<Reason> reasons(JobDraft draft, List<String> outputs) {
    int running = 0;
    String first = null;
    Set<String> inputs = null;
    for (int producer : draft.producers) {
      PlannedJob upstream = jobs.get(producer);
      if (upstream.willRun()) {
        if (replacesInputs) {
          if (inputs == null) {
            inputs = new HashSet<>(draft.inputs);
          }
          if (!writesAny(upstream, inputs)) {
            continue;
          }
        }
        if (first == null) {
          first = upstream.id();
        }
        running++;
      }
    }
    // A task it only follows does not count: Ruffus orders the tasks but judges each job of the
    // follower on its own files (job_needs_to_run), so an up-to-date follower stays up to date.
    if (!forced && running == 0) {
      return judge.judge(draft, outputs, task.uptodate(), actionDigest);
    }
    if (!forced) {
      return List.of(Reason.upstream(first, running));
    }
    return running > 0
        ? List.of(Reason.forced(), Reason.upstream(first, running))
        : List.of(Reason.forced());
  }

  private static boolean replacesInputs(TaskSpec spec) {
    TaskSpec.InputsModifier modifier =
        switch (spec) {
          case TaskSpec.Transform t -> t.inputs();
          case TaskSpec.Subdivide s -> s.inputs();
          case TaskSpec.Collate c -> c.inputs();
          case TaskSpec.Product p -> p.inputs();
          case TaskSpec.Combinatoric c -> c.inputs();
          default -> null;
        };
    return modifier != null && modifier.replace();
  }

  /**
   * Whether a job that makes one of this job's items writes one of its inputs. Not when
   * replace_inputs took the item's files out: Ruffus judges the job on the files it reads, so a
   * rerun upstream leaves it up to date (it still runs after that job).
   */
  private static boolean writesAny(PlannedJob upstream, Set<String> inputs) {
    for (String output : upstream.outputs()) {
      if (inputs.contains(output)) {
        return true;
      }
    }
    return false;
  }

  private List<String> after(JobDraft draft) {
    if (draft.producers.length == 0) {
      return List.of();
    }
    if (draft.producers.length == 1) {
      return List.of(jobs.get(draft.producers[0]).id());
    }
    List<String> ids = new ArrayList<>(draft.producers.length);
    for (int producer : draft.producers) {
      ids.add(jobs.get(producer).id());
    }
    return ids;
  }

  private List<String> resolveGlobs(List<String> patterns) {
    List<String> resolved = new ArrayList<>();
    for (String pattern : patterns) {
      if (Globs.isGlob(pattern)) {
        resolved.addAll(files.glob(pattern));
      } else if (files.modifiedNanos(pattern).isPresent()) {
        resolved.add(pattern);
      }
    }
    return resolved;
  }

  /**
   * A template may make a path that leaves the workdir from harmless parts (a regex group that
   * caught dots), which the definition's check cannot see: the plan refuses it before any job runs,
   * as a worker would refuse the job.
   */
  private static List<String> refuseClimbing(List<String> paths) {
    for (String path : paths) {
      if (PathRules.leavesWorkdir(path)) {
        throw new PathEscapesWorkspaceException(path);
      }
    }
    return paths;
  }

  private void claim(int index, String id, List<String> outputs) {
    for (String output : outputs) {
      long previous = writers.putIfAbsent(output, index);
      if (previous != StringLongMap.ABSENT) {
        String first = previous < jobs.size() ? jobs.get((int) previous).id() : id;
        throw new ConflictingOutputsException(output, first, id);
      }
    }
  }

  /** The task's {@code mkdir} folders, substituted with the job's own match like its outputs. */
  private List<String> mkdir(JobDraft draft) {
    if (task.mkdir().isEmpty()) {
      return List.of();
    }
    return draft.match == null ? task.mkdir() : JobExpander.substitute(draft.match, task.mkdir());
  }
}
