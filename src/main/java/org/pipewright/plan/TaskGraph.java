package org.pipewright.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pipewright.pipeline.InputRef;
import org.pipewright.pipeline.PipelineDefinition;
import org.pipewright.pipeline.TaskDefinition;
import org.pipewright.pipeline.TaskSpec;

/**
 * The tasks of a definition as a graph: which tasks read whose outputs, which follow which, in an
 * order where every task comes after the tasks it depends on.
 */
final class TaskGraph {

  private final Map<String, TaskDefinition> byName = new LinkedHashMap<>();
  private final Map<String, List<String>> upstream = new HashMap<>();
  private final List<TaskDefinition> order;

  TaskGraph(PipelineDefinition definition) {
    for (TaskDefinition task : definition.tasks()) {
      byName.put(task.name(), task);
      upstream.put(task.name(), List.copyOf(inputTasks(task.spec())));
    }
    this.order = sort();
  }

  List<TaskDefinition> order() {
    return order;
  }

  boolean has(String task) {
    return byName.containsKey(task);
  }

  /** Tasks whose outputs this task reads, in the order they are named. */
  List<String> upstream(String task) {
    return upstream.get(task);
  }

  /**
   * The targets and everything they depend on, through inputs and follows; all tasks when there are
   * no targets.
   */
  Set<String> selection(Set<String> targets) {
    if (targets.isEmpty()) {
      return byName.keySet();
    }
    Set<String> selected = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(targets);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (selected.add(name)) {
        todo.addAll(upstream.get(name));
        todo.addAll(byName.get(name).follows());
      }
    }
    return selected;
  }

  private List<TaskDefinition> sort() {
    // Kahn's algorithm, ties broken by the order tasks were written in, so plans read top-down.
    Map<String, Integer> waiting = new HashMap<>();
    Map<String, List<String>> dependants = new HashMap<>();
    for (TaskDefinition task : byName.values()) {
      Set<String> deps = new LinkedHashSet<>(upstream.get(task.name()));
      deps.addAll(task.follows());
      waiting.put(task.name(), deps.size());
      for (String dep : deps) {
        dependants.computeIfAbsent(dep, k -> new ArrayList<>()).add(task.name());
      }
    }
    List<TaskDefinition> sorted = new ArrayList<>(byName.size());
    Set<String> ready = new LinkedHashSet<>();
    byName.keySet().stream().filter(n -> waiting.get(n) == 0).forEach(ready::add);
    while (!ready.isEmpty()) {
      String next = ready.iterator().next();
      ready.remove(next);
      sorted.add(byName.get(next));
      for (String dependant : dependants.getOrDefault(next, List.of())) {
        if (waiting.merge(dependant, -1, Integer::sum) == 0) {
          ready.add(dependant);
        }
      }
    }
    if (sorted.size() != byName.size()) {
      // Validation refuses cycles with a named path; reaching here means it was bypassed.
      throw new IllegalStateException("task graph has a cycle");
    }
    return List.copyOf(sorted);
  }

  static List<InputRef> inputs(TaskSpec spec) {
    return switch (spec) {
      case TaskSpec.Originate o -> List.of();
      case TaskSpec.Parallel p -> List.of();
      case TaskSpec.Files f -> f.jobs().stream().flatMap(j -> j.input().stream()).toList();
      case TaskSpec.Transform t -> t.input();
      case TaskSpec.Merge m -> m.input();
      case TaskSpec.Split s -> s.input();
      case TaskSpec.Subdivide s -> s.input();
      case TaskSpec.Collate c -> c.input();
      case TaskSpec.Product p -> p.sets().stream().flatMap(s -> s.input().stream()).toList();
      case TaskSpec.Combinatoric c -> c.input();
    };
  }

  private static Set<String> inputTasks(TaskSpec spec) {
    Set<String> names = new LinkedHashSet<>();
    for (InputRef ref : inputs(spec)) {
      if (ref instanceof InputRef.TaskOutput(String task)) {
        names.add(task);
      }
    }
    return names;
  }
}
