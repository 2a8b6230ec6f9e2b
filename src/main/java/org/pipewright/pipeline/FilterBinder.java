package org.pipewright.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.plan.InvalidTemplateException;
import org.pipewright.plan.NameFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a {@code filter:} mapping ({@code suffix}, {@code regex} or {@code formatter}) and compiles
 * it with the planner's {@link NameFilter}, so a pattern that would fail when planning fails here,
 * with its path.
 */
final class FilterBinder {

  static final List<String> KINDS = List.of("suffix", "regex", "formatter");
  private static final List<String> FIELDS = List.of("suffix", "output_dir", "regex", "formatter");

  private FilterBinder() {}

  /**
   * @param filter what was read
   * @param compiled the compiled filter, or {@code null} when it did not compile (already reported)
   */
  record Bound(FileFilter filter, @Nullable NameFilter compiled) {}

  /** Reads a filter; {@code null} (with errors recorded) when it is absent or wrong. */
  static @Nullable Bound bind(
      @Nullable JsonNode node, String path, boolean formatterOnly, Errors errors) {
    if (Read.isAbsent(node)) {
      errors.add(
          path,
          formatterOnly
              ? "is required: {formatter: ...}"
              : "is required: one of {suffix: ...}, {regex: ...}, {formatter: ...}");
      return null;
    }
    ObjectNode map = Read.mapping(node, path, "a file-name filter", errors);
    if (map == null) {
      return null;
    }
    Read.allowOnly(map, path, FIELDS, errors);
    List<String> kinds = KINDS.stream().filter(map::has).toList();
    if (kinds.size() != 1) {
      errors.add(
          path,
          kinds.isEmpty()
              ? "needs one of suffix, regex, formatter"
              : "has " + String.join(" and ", kinds) + "; a filter is exactly one of them");
      return null;
    }
    String kind = kinds.getFirst();
    if (map.has("output_dir") && !kind.equals("suffix")) {
      errors.add(Errors.field(path, "output_dir"), "goes only with suffix");
    }
    if (formatterOnly && !kind.equals("formatter")) {
      errors.add(Errors.field(path, kind), "this task kind takes a formatter filter only");
      return null;
    }
    int before = errors.count();
    FileFilter filter =
        switch (kind) {
          case "suffix" -> suffix(map, path, errors);
          case "regex" -> regex(map, path, errors);
          default -> formatter(map.get("formatter"), Errors.field(path, "formatter"), errors);
        };
    if (filter == null || errors.count() > before) {
      return null;
    }
    JsonNode patterns = map.get("formatter");
    boolean listed = patterns != null && patterns.isArray();
    NameFilter compiled = compile(filter, Errors.field(path, kind), listed, errors);
    return new Bound(filter, compiled);
  }

  private static FileFilter.@Nullable Suffix suffix(ObjectNode map, String path, Errors errors) {
    String suffix = Read.requiredString(map, "suffix", path, errors);
    String outputDir = Read.optionalString(map, "output_dir", path, errors);
    if (outputDir != null) {
      PathRules.check(new Read.Located(outputDir, Errors.field(path, "output_dir")), errors);
    }
    return suffix == null ? null : new FileFilter.Suffix(suffix, outputDir);
  }

  private static FileFilter.@Nullable Regex regex(ObjectNode map, String path, Errors errors) {
    String regex = Read.requiredString(map, "regex", path, errors);
    if (regex != null && regex.isEmpty()) {
      errors.add(Errors.field(path, "regex"), "must not be empty");
      return null;
    }
    return regex == null ? null : new FileFilter.Regex(regex);
  }

  /** {@code null}, a pattern, or a list of patterns and nulls (one per file of an item). */
  private static FileFilter.@Nullable Formatter formatter(
      @Nullable JsonNode node, String path, Errors errors) {
    List<@Nullable String> patterns = new ArrayList<>();
    if (Read.isAbsent(node)) {
      return new FileFilter.Formatter(patterns);
    }
    if (node.isString()) {
      patterns.add(node.stringValue());
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode item = node.get(i);
        patterns.add(item.isNull() ? null : Read.string(item, Errors.index(path, i), errors));
      }
    } else {
      errors.add(
          path, "must be null, a regex, or a list of regexes and nulls, not " + Read.typeOf(node));
      return null;
    }
    return new FileFilter.Formatter(patterns);
  }

  /**
   * Compiles the filter. A formatter's patterns are also compiled one by one, so that the error
   * names the pattern at fault.
   */
  private static @Nullable NameFilter compile(
      FileFilter filter, String path, boolean listed, Errors errors) {
    if (listed && filter instanceof FileFilter.Formatter formatter) {
      boolean failed = false;
      for (int i = 0; i < formatter.patterns().size(); i++) {
        String pattern = formatter.patterns().get(i);
        if (pattern != null) {
          List<@Nullable String> one = new ArrayList<>();
          one.add(pattern);
          String at = Errors.index(path, i);
          failed |= compileOrReport(new FileFilter.Formatter(one), at, errors) == null;
        }
      }
      if (failed) {
        return null;
      }
    }
    return compileOrReport(filter, path, errors);
  }

  private static @Nullable NameFilter compileOrReport(
      FileFilter filter, String path, Errors errors) {
    try {
      return NameFilter.compile(filter);
    } catch (InvalidTemplateException e) {
      errors.add(path, e.getMessage());
      return null;
    }
  }
}
