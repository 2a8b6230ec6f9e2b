package org.pipewright.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * A formatter template, parsed once with Python's {@code str.format} rules: {@code {key[i]..}}
 * fields, {@code {{}} and {@code }}} for literal braces, a single {@code }} is an error.
 *
 * <p>Stricter than Python where Python produces text no one wants in a file name: a field without
 * an index ({@code {basename}} formats a dict), attribute access, conversions ({@code !r}) and
 * format specs are rejected.
 */
final class FormatterTemplate {

  /** What a field names; a {@link #NAME} is a regex group or unknown. */
  enum Kind {
    BASENAME(false),
    EXT(false),
    PATH(false),
    SUBPATH(true),
    SUBDIR(true),
    GROUP(false),
    NAME(false);

    final boolean list;

    Kind(boolean list) {
      this.list = list;
    }

    static Kind of(String key) {
      return switch (key) {
        case "basename" -> BASENAME;
        case "ext" -> EXT;
        case "path" -> PATH;
        case "subpath" -> SUBPATH;
        case "subdir" -> SUBDIR;
        default -> key.chars().allMatch(c -> c >= '0' && c <= '9') ? GROUP : NAME;
      };
    }
  }

  /**
   * One {@code {key[i][j]}} field.
   *
   * @param group the group number when {@code kind} is {@link Kind#GROUP}, else -1
   */
  record Field(String text, String key, Kind kind, int group, int[] indexes) {}

  /** Supplies a field's value. */
  interface Resolver {
    String value(Field field, String template);
  }

  final String source;
  final Field[] fields;
  private final String[] literals;

  private FormatterTemplate(String source, List<String> literals, List<Field> fields) {
    this.source = source;
    this.literals = literals.toArray(String[]::new);
    this.fields = fields.toArray(Field[]::new);
  }

  static FormatterTemplate parse(String template) {
    List<String> literals = new ArrayList<>();
    List<Field> fields = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int n = template.length();
    int i = 0;
    while (i < n) {
      char c = template.charAt(i++);
      if (c == '}') {
        if (i < n && template.charAt(i) == '}') {
          literal.append('}');
          i++;
          continue;
        }
        throw error(template, "single '}' at position " + (i - 1) + "; write '}}' for a brace");
      }
      if (c != '{') {
        literal.append(c);
        continue;
      }
      if (i < n && template.charAt(i) == '{') {
        literal.append('{');
        i++;
        continue;
      }
      int end = template.indexOf('}', i);
      int nested = template.indexOf('{', i);
      if (end < 0 || (nested >= 0 && nested < end)) {
        throw error(template, "single '{' at position " + (i - 1) + "; write '{{' for a brace");
      }
      fields.add(field(template, template.substring(i, end)));
      literals.add(literal.toString());
      literal.setLength(0);
      i = end + 1;
    }
    // a template with nothing to substitute renders as the very same string
    literals.add(
        fields.isEmpty() && literal.length() == template.length() ? template : literal.toString());
    return new FormatterTemplate(template, literals, fields);
  }

  private static Field field(String template, String text) {
    String shown = "{" + text + "}";
    int bracket = text.indexOf('[');
    String key = bracket < 0 ? text : text.substring(0, bracket);
    if (key.isEmpty()) {
      throw error(template, shown + " names nothing; use a key such as {basename[0]}");
    }
    if (text.indexOf('.') >= 0 || text.indexOf('!') >= 0 || text.indexOf(':') >= 0) {
      throw error(template, shown + ": attributes, conversions and format specs are not supported");
    }
    List<Integer> indexes = new ArrayList<>();
    int i = bracket < 0 ? text.length() : bracket;
    while (i < text.length()) {
      int close = text.indexOf(']', i);
      if (text.charAt(i) != '[' || close < 0) {
        throw error(template, shown + ": only [index] may follow the key");
      }
      String index = text.substring(i + 1, close);
      if (index.isEmpty()
          || index.length() > 9
          || !index.chars().allMatch(Character::isDigit)
          || !index.chars().allMatch(ch -> ch < 128)) {
        throw error(template, shown + ": index '" + index + "' is not a number");
      }
      indexes.add(Integer.parseInt(index));
      i = close + 1;
    }
    Kind kind = Kind.of(key);
    if (kind == Kind.GROUP && key.length() > 9) {
      throw error(template, shown + ": no such group");
    }
    int group = kind == Kind.GROUP ? Integer.parseInt(key) : -1;
    return new Field(
        shown, key, kind, group, indexes.stream().mapToInt(Integer::intValue).toArray());
  }

  boolean isConstant() {
    return fields.length == 0;
  }

  String render(Resolver resolver) {
    if (fields.length == 0) {
      return literals[0];
    }
    StringBuilder out = new StringBuilder(source.length() + 32);
    out.append(literals[0]);
    for (int k = 0; k < fields.length; k++) {
      out.append(resolver.value(fields[k], source)).append(literals[k + 1]);
    }
    return out.toString();
  }

  static InvalidTemplateException error(String template, String message) {
    return new InvalidTemplateException("template '" + template + "': " + message);
  }
}
