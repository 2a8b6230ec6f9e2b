package org.pipewright.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.pipewright.pipeline.Read.Located;

/**
 * The rules across tasks: unique names, known {@code follows}, no cycles, no two jobs writing one
 * file, one value per shared jobs limit. Runs on every task that was read, even one with errors of
 * its own, so one pass reports as much as it can.
 */
final class DefinitionValidator {

  private static final int NAMES_SHOWN = 20;

  private final Errors errors;
  private final Map<String, TaskBinder.Bound> byName = new LinkedHashMap<>();

  DefinitionValidator(Errors errors) {
    this.errors = errors;
  }

  void validate(List<TaskBinder.Bound> tasks) {
    uniqueNames(tasks);
    knownFollows(tasks);
    new Cycles().find();
    distinctOutputs(tasks);
    consistentJobsLimits(tasks);
  }

  private void uniqueNames(List<TaskBinder.Bound> tasks) {
    for (TaskBinder.Bound task : tasks) {
      if (task.name() == null) {
        continue;
      }
      TaskBinder.Bound first = byName.putIfAbsent(task.name(), task);
      if (first != null) {
        errors.add(
            Errors.field(task.path(), "name"),
            "duplicate task name '" + task.name() + "' (also " + first.path() + ")");
      }
    }
  }

  private void knownFollows(List<TaskBinder.Bound> tasks) {
    for (TaskBinder.Bound task : tasks) {
      for (Located follow : task.follows()) {
        if (!byName.containsKey(follow.value())) {
          String hint =
              Suggest.closest(follow.value(), byName.keySet())
                  .map(s -> "did you mean '" + s + "'? ")
                  .orElse("");
          errors.add(follow.path(), "unknown task '" + follow.value() + "'; " + hint + taskList());
        }
      }
    }
  }

  private String taskList() {
    List<String> names = byName.keySet().stream().limit(NAMES_SHOWN).toList();
    String more = byName.size() > NAMES_SHOWN ? ", ..." : "";
    return "tasks are: " + String.join(", ", names) + more;
  }

  /** Literal outputs (no glob or template syntax) of active tasks, each written by one job. */
  private void distinctOutputs(List<TaskBinder.Bound> tasks) {
    record Writer(String task, int job) {}
    Map<String, Writer> writers = new HashMap<>();
    for (TaskBinder.Bound task : tasks) {
      if (task.definition() == null || !task.definition().active()) {
        continue;
      }
      List<List<Located>> jobs = task.literalOutputs();
      for (int job = 0; job < jobs.size(); job++) {
        Writer writer = new Writer(task.path(), job);
        for (Located output : new LinkedHashSet<>(jobs.get(job))) {
          if (!isLiteral(output.value())) {
            continue;
          }
          Writer other = writers.putIfAbsent(PathRules.normalize(output.value()), writer);
          if (other != null && !other.equals(writer)) {
            String by =
                other.task().equals(writer.task())
                    ? "another job of this task"
                    : "task '" + byPath(tasks, other.task()) + "'";
            errors.add(output.path(), "'" + output.value() + "' is also written by " + by);
          }
        }
      }
    }
  }

  private static String byPath(List<TaskBinder.Bound> tasks, String path) {
    return tasks.stream()
        .filter(t -> t.path().equals(path))
        .map(t -> String.valueOf(t.name()))
        .findFirst()
        .orElse(path);
  }

  static boolean isLiteral(String output) {
    return output.chars().noneMatch(c -> "*?[]{}\\".indexOf(c) >= 0);
  }

  private void consistentJobsLimits(List<TaskBinder.Bound> tasks) {
    record Seen(int limit, String task) {}
    Map<String, Seen> limits = new HashMap<>();
    for (TaskBinder.Bound task : tasks) {
      if (task.definition() == null || task.definition().jobsLimit() == null) {
        continue;
      }
      JobsLimit limit = task.definition().jobsLimit();
      Seen first =
          limits.putIfAbsent(limit.name(), new Seen(limit.limit(), task.definition().name()));
      if (first != null && first.limit() != limit.limit()) {
        errors.add(
            Errors.field(task.path(), "jobs_limit"),
            "jobs limit '"
                + limit.name()
                + "' is "
                + first.limit()
                + " in task '"
                + first.task()
                + "' but "
                + limit.limit()
                + " here; a shared limit has one value");
      }
    }
  }

  /** The tasks a task depends on: those whose outputs it takes, then those it follows. */
  private List<String> dependencies(TaskBinder.Bound task) {
    Set<String> result = new LinkedHashSet<>();
    if (task.definition() != null) {
      inputsOf(task.definition().spec())
          .filter(ref -> ref instanceof InputRef.TaskOutput)
          .map(ref -> ((InputRef.TaskOutput) ref).task())
          .forEach(result::add);
    }
    task.follows().stream().map(Located::value).filter(byName::containsKey).forEach(result::add);
    return new ArrayList<>(result);
  }

  static Stream<InputRef> inputsOf(TaskSpec spec) {
    return switch (spec) {
      case TaskSpec.Originate o -> Stream.empty();
      case TaskSpec.Files f -> f.jobs().stream().flatMap(job -> job.input().stream());
      case TaskSpec.Transform t -> t.input().stream();
      case TaskSpec.Merge m -> m.input().stream();
      case TaskSpec.Split s -> s.input().stream();
      case TaskSpec.Subdivide s -> s.input().stream();
      case TaskSpec.Collate c -> c.input().stream();
      case TaskSpec.Product p -> p.sets().stream().flatMap(set -> set.input().stream());
      case TaskSpec.Combinatoric c -> c.input().stream();
      case TaskSpec.Parallel p -> Stream.empty();
    };
  }

  /** Depth-first search; each back edge closes one cycle, reported at the task it starts from. */
  private final class Cycles {
    private final Set<String> done = new LinkedHashSet<>();
    private final List<String> stack = new ArrayList<>();

    void find() {
      for (String name : byName.keySet()) {
        visit(name);
      }
    }

    private void visit(String name) {
      if (done.contains(name)) {
        return;
      }
      stack.add(name);
      for (String next : dependencies(byName.get(name))) {
        int onStack = stack.indexOf(next);
        if (onStack >= 0) {
          List<String> cycle = new ArrayList<>(stack.subList(onStack, stack.size()));
          cycle.add(next);
          errors.add(byName.get(next).path(), "cycle: " + String.join(" -> ", cycle));
        } else {
          visit(next);
        }
      }
      stack.removeLast();
      done.add(name);
    }
  }
}
