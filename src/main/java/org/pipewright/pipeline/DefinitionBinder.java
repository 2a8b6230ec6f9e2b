package org.pipewright.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads the top level of a definition ({@code name}, {@code workdir}, {@code tasks}). */
final class DefinitionBinder {

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final List<String> FIELDS = List.of("name", "workdir", "description", "tasks");

  /**
   * @param definition the definition, or {@code null} when any part has errors
   * @param tasks every task as read, for the rules across tasks
   */
  record Bound(@Nullable PipelineDefinition definition, List<TaskBinder.Bound> tasks) {}

  private final DefinitionLimits limits;

  DefinitionBinder(DefinitionLimits limits) {
    this.limits = limits;
  }

  Bound bind(JsonNode root, Errors errors) {
    ObjectNode map = Read.mapping(root, "", "a pipeline definition with name and tasks", errors);
    if (map == null) {
      return new Bound(null, List.of());
    }
    Read.allowOnly(map, "", FIELDS, errors);
    String name = Read.requiredString(map, "name", "", errors);
    if (name != null && !NAME.matcher(name).matches()) {
      errors.add(
          "name",
          "'"
              + name
              + "' is not a pipeline name: a letter or digit, then up to 63 letters,"
              + " digits, '.', '_' or '-'");
    }
    String workdir = Read.optionalString(map, "workdir", "", errors);
    if (workdir != null) {
      PathRules.check(new Read.Located(workdir, "workdir"), errors);
      if (PathRules.normalize(workdir).isEmpty()) {
        errors.add("workdir", "must name a folder below the workspace root");
      }
    }
    Read.optionalString(map, "description", "", errors);
    List<TaskBinder.Bound> tasks = tasks(map.get("tasks"), errors);
    if (!errors.isEmpty() || name == null) {
      return new Bound(null, tasks);
    }
    List<TaskDefinition> definitions = new ArrayList<>();
    for (TaskBinder.Bound task : tasks) {
      if (task.definition() != null) {
        definitions.add(task.definition());
      }
    }
    return new Bound(
        new PipelineDefinition(name, workdir == null ? name : workdir, definitions), tasks);
  }

  private List<TaskBinder.Bound> tasks(@Nullable JsonNode node, Errors errors) {
    if (Read.isAbsent(node)) {
      errors.add("tasks", "is required: a list of tasks");
      return List.of();
    }
    if (!node.isArray()) {
      errors.add("tasks", "must be a list of tasks, not " + Read.typeOf(node));
      return List.of();
    }
    if (node.isEmpty()) {
      errors.add("tasks", "must not be empty");
      return List.of();
    }
    if (node.size() > limits.maxTasks()) {
      errors.addPastLimit("tasks", node.size() + " tasks; the limit is " + limits.maxTasks());
      return List.of();
    }
    // Inputs name tasks by their names, so every name is known before any task is read.
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode task : node) {
      JsonNode name = task.get("name");
      if (name != null && name.isString()) {
        names.add(name.stringValue());
      }
    }
    TaskBinder binder = new TaskBinder(errors, names, limits);
    List<TaskBinder.Bound> tasks = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      tasks.add(binder.bind(node.get(i), Errors.index("tasks", i)));
    }
    return tasks;
  }
}
