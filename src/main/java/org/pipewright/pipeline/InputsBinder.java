package org.pipewright.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.pipewright.pipeline.Read.Located;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads what flows into and out of a task's jobs: inputs, outputs and input modifiers. */
final class InputsBinder {

  /** {@code add_inputs} or {@code replace_inputs} as read, with the paths of its templates. */
  record Modifier(TaskSpec.@Nullable InputsModifier spec, List<Located> templates) {}

  private final Errors errors;
  private final Set<String> taskNames;

  InputsBinder(Errors errors, Set<String> taskNames) {
    this.errors = errors;
    this.taskNames = taskNames;
  }

  /**
   * A string or list of strings; each names a task of this definition (its outputs) or is a path or
   * glob relative to the workdir.
   */
  List<InputRef> refs(@Nullable JsonNode node, String path, boolean required) {
    if (Read.isAbsent(node)) {
      if (required) {
        errors.add(path, "is required: a task name, a path or glob, or a list of them");
      }
      return List.of();
    }
    if (!node.isString() && !node.isArray()) {
      errors.add(path, "must be a string or a list of strings, not " + Read.typeOf(node));
      return List.of();
    }
    List<Located> names = Read.strings(node, path, false, errors);
    if (required && node.isArray() && node.isEmpty()) {
      errors.add(path, "must not be empty");
    }
    List<InputRef> refs = new ArrayList<>();
    for (Located name : names) {
      if (taskNames.contains(name.value())) {
        refs.add(new InputRef.TaskOutput(name.value()));
      } else {
        PathRules.check(name, errors);
        refs.add(new InputRef.Pattern(name.value()));
      }
    }
    return refs;
  }

  /** Required outputs of one job: a string or a non-empty list, each a path in the workdir. */
  List<Located> outputs(@Nullable JsonNode node, String path) {
    if (Read.isAbsent(node)) {
      errors.add(path, "is required");
      return List.of();
    }
    List<Located> outputs = Read.strings(node, path, true, errors);
    if (node.isArray() && node.isEmpty()) {
      errors.add(path, "must not be empty");
    }
    outputs.forEach(output -> PathRules.check(output, errors));
    return outputs;
  }

  /** {@code originate}'s outputs: one job per entry, an entry being one output or a list. */
  List<List<Located>> jobOutputs(@Nullable JsonNode node, String path, DefinitionLimits limits) {
    if (node == null || !node.isArray()) {
      return List.of(outputs(node, path));
    }
    if (node.isEmpty() || node.size() > limits.maxJobsPerExplicitList()) {
      errors.add(
          path,
          "must list from 1 to " + limits.maxJobsPerExplicitList() + " jobs",
          !node.isEmpty());
      return List.of();
    }
    List<List<Located>> jobs = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      jobs.add(outputs(node.get(i), Errors.index(path, i)));
    }
    return jobs;
  }

  /** At most one of {@code add_inputs} and {@code replace_inputs}; paths in the workdir. */
  Modifier modifier(ObjectNode map, String path) {
    JsonNode add = map.get("add_inputs");
    JsonNode replace = map.get("replace_inputs");
    if (!Read.isAbsent(add) && !Read.isAbsent(replace)) {
      errors.add(
          Errors.field(path, "replace_inputs"),
          "add_inputs and replace_inputs exclude each other; keep one");
      return new Modifier(null, List.of());
    }
    boolean isReplace = !Read.isAbsent(replace);
    JsonNode node = isReplace ? replace : add;
    if (Read.isAbsent(node)) {
      return new Modifier(null, List.of());
    }
    String at = Errors.field(path, isReplace ? "replace_inputs" : "add_inputs");
    List<Located> templates = Read.strings(node, at, true, errors);
    templates.forEach(template -> PathRules.check(template, errors));
    return new Modifier(new TaskSpec.InputsModifier(isReplace, Read.values(templates)), templates);
  }
}
