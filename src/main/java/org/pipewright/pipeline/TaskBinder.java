package org.pipewright.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.pipewright.pipeline.Read.Located;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads one entry of {@code tasks:} into a {@link TaskDefinition}. */
final class TaskBinder {

  static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,99}");
  static final List<String> ACTIONS = List.of("shell", "java", "touch");
  static final List<String> FIELDS =
      Stream.of(
              List.of("name"),
              SpecBinder.KINDS,
              ACTIONS,
              List.of(
                  "follows",
                  "mkdir",
                  "active_if",
                  "jobs_limit",
                  "posttask",
                  "check_if_uptodate",
                  "retries",
                  "cpus",
                  "mem"))
          .flatMap(List::stream)
          .toList();
  private static final int MAX_RETRIES = 10;
  private static final int MAX_JOBS_LIMIT = 100_000;
  private static final int MAX_CPUS = 4096;

  /**
   * A task as read, with what the cross-task rules need even when it has errors.
   *
   * @param name the name as written when it is a string, even if malformed
   * @param definition the task, or {@code null} when it has errors
   */
  record Bound(
      String path,
      @Nullable String name,
      @Nullable TaskDefinition definition,
      List<Located> follows,
      List<List<Located>> literalOutputs) {}

  private final Errors errors;
  private final SpecBinder specs;

  TaskBinder(Errors errors, Set<String> taskNames, DefinitionLimits limits) {
    this.errors = errors;
    this.specs = new SpecBinder(errors, taskNames, limits);
  }

  Bound bind(JsonNode node, String path) {
    ObjectNode map = Read.mapping(node, path, "a task", errors);
    if (map == null) {
      return new Bound(path, null, null, List.of(), List.of());
    }
    int before = errors.count();
    Read.allowOnly(map, path, FIELDS, errors);
    String name = Read.requiredString(map, "name", path, errors);
    if (name != null && !NAME.matcher(name).matches()) {
      errors.add(
          Errors.field(path, "name"),
          "'"
              + name
              + "' is not a task name: a letter or '_', then up to 99 letters, digits,"
              + " '_', '.' or '-'");
    }
    String kind = exactlyOne(map, path, SpecBinder.KINDS, "a task kind", "task kinds");
    SpecBinder.Bound spec =
        kind == null ? null : specs.bind(kind, map.get(kind), Errors.field(path, kind));
    String actionKey = exactlyOne(map, path, ACTIONS, "an action", "actions");
    Action action = actionKey == null ? null : ActionBinder.action(map, actionKey, path, errors);
    List<Located> follows =
        Read.strings(map.get("follows"), Errors.field(path, "follows"), false, errors);
    List<Located> mkdir = Read.strings(map.get("mkdir"), Errors.field(path, "mkdir"), true, errors);
    mkdir.forEach(dir -> PathRules.check(dir, errors));
    if (spec != null && spec.templates() != null) {
      spec.templates().checkAll(mkdir, errors);
    }
    boolean active = optionalBool(map, "active_if", path);
    JobsLimit jobsLimit = jobsLimit(map.get("jobs_limit"), Errors.field(path, "jobs_limit"), name);
    List<PostTask> posttask =
        ActionBinder.posttasks(map.get("posttask"), Errors.field(path, "posttask"), errors);
    UptodateCheck uptodate =
        uptodate(map.get("check_if_uptodate"), Errors.field(path, "check_if_uptodate"));
    JsonNode retriesNode = map.get("retries");
    Integer retries =
        Read.isAbsent(retriesNode)
            ? Integer.valueOf(0)
            : Read.integer(retriesNode, Errors.field(path, "retries"), 0, MAX_RETRIES, errors);
    Resources resources = resources(map, path);
    List<List<Located>> literalOutputs = spec == null ? List.of() : spec.literalOutputs();
    if (errors.count() > before
        || name == null
        || spec == null
        || spec.spec() == null
        || action == null
        || retries == null) {
      return new Bound(path, name, null, follows, literalOutputs);
    }
    var definition =
        new TaskDefinition(
            name,
            spec.spec(),
            action,
            Read.values(follows),
            Read.values(mkdir),
            active,
            jobsLimit,
            posttask,
            uptodate,
            retries,
            resources);
    return new Bound(path, name, definition, follows, literalOutputs);
  }

  /** {@code cpus: 4} and {@code mem: 8G}: what each job needs of its worker; both optional. */
  private Resources resources(ObjectNode map, String path) {
    JsonNode cpusNode = map.get("cpus");
    Integer cpus =
        Read.isAbsent(cpusNode)
            ? Integer.valueOf(0)
            : Read.integer(cpusNode, Errors.field(path, "cpus"), 1, MAX_CPUS, errors);
    JsonNode memNode = map.get("mem");
    long memoryMb = 0;
    if (!Read.isAbsent(memNode)) {
      String at = Errors.field(path, "mem");
      if (memNode.isString() || memNode.isIntegralNumber()) {
        try {
          memoryMb = Resources.parseMemory(memNode.asString());
        } catch (IllegalArgumentException e) {
          errors.add(at, e.getMessage());
        }
      } else {
        errors.add(at, "must be a memory size such as 512M, 4G or 1T, not " + Read.typeOf(memNode));
      }
    }
    return cpus == null ? Resources.NONE : new Resources(cpus, memoryMb);
  }

  /** The one key of {@code choices} present, or {@code null} (recorded) when none or several. */
  private @Nullable String exactlyOne(
      ObjectNode map, String path, List<String> choices, String one, String many) {
    List<String> present = choices.stream().filter(map::has).toList();
    if (present.size() == 1) {
      return present.getFirst();
    }
    errors.add(
        path,
        present.isEmpty()
            ? "needs " + one + ": one of " + String.join(", ", choices)
            : "has "
                + present.size()
                + " "
                + many
                + " ("
                + String.join(", ", present)
                + "); a task has exactly one");
    return null;
  }

  private boolean optionalBool(ObjectNode map, String key, String path) {
    JsonNode node = map.get(key);
    if (Read.isAbsent(node)) {
      return true;
    }
    Boolean value = Read.bool(node, Errors.field(path, key), errors);
    return value == null || value;
  }

  /** {@code 4} (a limit of the task's own) or {@code {limit: 4, name: db}} (a shared one). */
  private @Nullable JobsLimit jobsLimit(
      @Nullable JsonNode node, String path, @Nullable String task) {
    if (Read.isAbsent(node)) {
      return null;
    }
    if (node.isNumber()) {
      Integer limit = Read.integer(node, path, 1, MAX_JOBS_LIMIT, errors);
      return limit == null || task == null ? null : new JobsLimit(task, limit);
    }
    ObjectNode map = Read.mapping(node, path, "a number, or {limit, name}", errors);
    if (map == null) {
      return null;
    }
    Read.allowOnly(map, path, List.of("limit", "name"), errors);
    JsonNode limitNode = map.get("limit");
    Integer limit = null;
    if (Read.isAbsent(limitNode)) {
      errors.add(Errors.field(path, "limit"), "is required");
    } else {
      limit = Read.integer(limitNode, Errors.field(path, "limit"), 1, MAX_JOBS_LIMIT, errors);
    }
    String name = Read.optionalString(map, "name", path, errors);
    if (name != null && !NAME.matcher(name).matches()) {
      errors.add(
          Errors.field(path, "name"),
          "'" + name + "' is not a limit name (same rules as task names)");
    }
    String limitName = name != null ? name : task;
    return limit == null || limitName == null ? null : new JobsLimit(limitName, limit);
  }

  private UptodateCheck uptodate(@Nullable JsonNode node, String path) {
    if (Read.isAbsent(node)) {
      return UptodateCheck.TIMESTAMPS;
    }
    List<String> names = new ArrayList<>();
    for (UptodateCheck check : UptodateCheck.values()) {
      String written = check.name().toLowerCase(Locale.ROOT);
      if (node.isString() && node.stringValue().equals(written)) {
        return check;
      }
      names.add(written);
    }
    errors.add(path, "must be one of " + String.join(", ", names) + ", not " + Read.show(node));
    return UptodateCheck.TIMESTAMPS;
  }
}
