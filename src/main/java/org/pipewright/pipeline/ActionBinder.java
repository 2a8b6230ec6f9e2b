package org.pipewright.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.plan.CommandTemplate;
import org.pipewright.plan.InvalidTemplateException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads what a task's jobs run ({@code shell}, {@code java}, {@code touch}) and its posttasks. */
final class ActionBinder {

  private ActionBinder() {}

  /** The action under {@code key}, or {@code null} when it is wrong (recorded). */
  static @Nullable Action action(ObjectNode task, String key, String taskPath, Errors errors) {
    JsonNode node = task.get(key);
    String path = Errors.field(taskPath, key);
    return switch (key) {
      case "shell" -> {
        String command = command(node, path, errors);
        yield command == null ? null : new Action.Shell(command);
      }
      case "java" -> {
        String className = node.isString() ? node.stringValue() : null;
        if (className == null || !isBinaryClassName(className)) {
          errors.add(
              path,
              "must be the binary name of a class implementing org.pipewright.sdk.Job, such as"
                  + " org.example.MyJob, not "
                  + Read.show(node));
          yield null;
        }
        yield new Action.JavaJob(className);
      }
      default -> {
        if (!node.isBoolean() || !node.booleanValue()) {
          errors.add(
              path, "must be true (leave touch out for another action), not " + Read.show(node));
          yield null;
        }
        yield new Action.Touch();
      }
    };
  }

  /** A non-blank command that {@link CommandTemplate} accepts. */
  private static @Nullable String command(JsonNode node, String path, Errors errors) {
    if (node.isNull()) {
      errors.add(path, "must not be empty");
      return null;
    }
    if (!node.isString()) {
      errors.add(path, "must be a command (a string), not " + Read.show(node));
      return null;
    }
    String command = node.stringValue();
    if (command.isBlank()) {
      errors.add(path, "must not be empty");
      return null;
    }
    try {
      CommandTemplate.parse(command);
    } catch (InvalidTemplateException e) {
      errors.add(path, e.getMessage());
      return null;
    }
    return command;
  }

  /** {@code a.b.C}, {@code a.b.C$Inner}: Java identifiers separated by dots. */
  static boolean isBinaryClassName(String name) {
    for (String part : name.split("\\.", -1)) {
      if (part.isEmpty() || !Character.isJavaIdentifierStart(part.codePointAt(0))) {
        return false;
      }
      if (!part.codePoints().skip(1).allMatch(Character::isJavaIdentifierPart)) {
        return false;
      }
    }
    return true;
  }

  /** One {@code {touch_file: f}} or {@code {shell: cmd}}, or a list of them. */
  static List<PostTask> posttasks(@Nullable JsonNode node, String path, Errors errors) {
    List<PostTask> result = new ArrayList<>();
    if (Read.isAbsent(node)) {
      return result;
    }
    if (!node.isArray()) {
      addPosttask(node, path, result, errors);
      return result;
    }
    for (int i = 0; i < node.size(); i++) {
      addPosttask(node.get(i), Errors.index(path, i), result, errors);
    }
    return result;
  }

  private static void addPosttask(JsonNode node, String path, List<PostTask> into, Errors errors) {
    ObjectNode map = Read.mapping(node, path, "{touch_file: path} or {shell: command}", errors);
    if (map == null) {
      return;
    }
    Read.allowOnly(map, path, List.of("touch_file", "shell"), errors);
    boolean touch = map.has("touch_file");
    if (touch == map.has("shell")) {
      errors.add(path, "needs exactly one of touch_file, shell");
      return;
    }
    if (touch) {
      String file = Read.requiredString(map, "touch_file", path, errors);
      if (file != null) {
        PathRules.check(new Read.Located(file, Errors.field(path, "touch_file")), errors);
        into.add(new PostTask(file, null));
      }
      return;
    }
    String shell = Read.requiredString(map, "shell", path, errors);
    if (shell != null && shell.isBlank()) {
      errors.add(Errors.field(path, "shell"), "must not be empty");
    } else if (shell != null) {
      into.add(new PostTask(null, shell));
    }
  }
}
