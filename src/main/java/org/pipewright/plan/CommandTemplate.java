package org.pipewright.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A job's command with placeholders: {@code {input}} (all inputs, space-separated), {@code
 * {input[0]}}, {@code {output}}, {@code {output[1]}}, {@code {extras[0]}}, {@code {workdir}};
 * {@code {{}} and {@code }}} are literal braces. Every substituted value is shell-quoted.
 */
public final class CommandTemplate {

  private enum Source {
    INPUT("input", "inputs"),
    OUTPUT("output", "outputs"),
    EXTRAS("extras", "extras"),
    WORKDIR("workdir", "");

    final String key;
    final String plural;

    Source(String key, String plural) {
      this.key = key;
      this.plural = plural;
    }
  }

  /**
   * @param index the list index, or -1 for the whole list (or for workdir)
   */
  private record Placeholder(Source source, int index, String text) {}

  /** POSIX reserved words: unquoted in command position they would change the grammar. */
  private static final Set<String> RESERVED =
      Set.of(
          "if",
          "then",
          "else",
          "elif",
          "fi",
          "case",
          "esac",
          "for",
          "while",
          "until",
          "do",
          "done",
          "in",
          "function",
          "select",
          "time",
          "coproc");

  private final String source;
  private final String[] literals;
  private final Placeholder[] placeholders;

  private CommandTemplate(String source, List<String> literals, List<Placeholder> placeholders) {
    this.source = source;
    this.literals = literals.toArray(String[]::new);
    this.placeholders = placeholders.toArray(Placeholder[]::new);
  }

  /**
   * Parses a template.
   *
   * @throws InvalidTemplateException on an unknown placeholder or an unbalanced brace
   */
  public static CommandTemplate parse(String template) {
    List<String> literals = new ArrayList<>();
    List<Placeholder> placeholders = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int n = template.length();
    int i = 0;
    while (i < n) {
      char c = template.charAt(i++);
      if (c != '{' && c != '}') {
        literal.append(c);
      } else if (i < n && template.charAt(i) == c) {
        literal.append(c);
        i++;
      } else if (c == '}') {
        throw error(template, "single '}' at position " + (i - 1) + "; write '}}' for a brace");
      } else {
        int end = template.indexOf('}', i);
        int nested = template.indexOf('{', i);
        if (end < 0 || (nested >= 0 && nested < end)) {
          throw error(template, "single '{' at position " + (i - 1) + "; write '{{' for a brace");
        }
        placeholders.add(placeholder(template, template.substring(i, end)));
        literals.add(literal.toString());
        literal.setLength(0);
        i = end + 1;
      }
    }
    // a template with nothing to substitute renders as the very same string
    literals.add(
        placeholders.isEmpty() && literal.length() == template.length()
            ? template
            : literal.toString());
    return new CommandTemplate(template, literals, placeholders);
  }

  private static Placeholder placeholder(String template, String text) {
    int bracket = text.indexOf('[');
    String key = bracket < 0 ? text : text.substring(0, bracket);
    Source source = null;
    for (Source s : Source.values()) {
      if (s.key.equals(key)) {
        source = s;
      }
    }
    if (source == null) {
      throw error(
          template,
          "unknown placeholder {"
              + text
              + "}; known: {input}, {input[0]}, "
              + "{output}, {output[0]}, {extras}, {extras[0]}, {workdir}; write {{ and }} for braces");
    }
    if (bracket < 0) {
      return new Placeholder(source, -1, "{" + text + "}");
    }
    String index = text.substring(bracket + 1, Math.max(bracket + 1, text.length() - 1));
    boolean digits =
        !index.isEmpty()
            && index.length() <= 9
            && index.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    if (source == Source.WORKDIR || !text.endsWith("]") || !digits) {
      throw error(
          template,
          "{"
              + text
              + "} is not a valid placeholder; "
              + (source == Source.WORKDIR ? "{workdir} takes no index" : "write {" + key + "[0]}"));
    }
    return new Placeholder(source, Integer.parseInt(index), "{" + text + "}");
  }

  /**
   * Renders the command for one job.
   *
   * @throws InvalidTemplateException when an index is past the end of its list
   */
  public String render(Values values) {
    if (placeholders.length == 0) {
      return literals[0];
    }
    StringBuilder out = new StringBuilder(source.length() + 64);
    out.append(literals[0]);
    for (int k = 0; k < placeholders.length; k++) {
      Placeholder p = placeholders[k];
      if (p.source() == Source.WORKDIR) {
        quote(out, values.workdir());
      } else {
        List<String> list =
            switch (p.source()) {
              case INPUT -> values.inputs();
              case OUTPUT -> values.outputs();
              default -> values.extras();
            };
        if (p.index() < 0) {
          for (int j = 0; j < list.size(); j++) {
            if (j > 0) {
              out.append(' ');
            }
            quote(out, list.get(j));
          }
        } else if (p.index() < list.size()) {
          quote(out, list.get(p.index()));
        } else {
          throw error(
              source,
              p.text()
                  + " is past the end: the job has "
                  + list.size()
                  + " "
                  + p.source().plural
                  + " "
                  + list);
        }
      }
      out.append(literals[k + 1]);
    }
    return out.toString();
  }

  /**
   * Appends a value as one /bin/sh word: as it is when made only of characters the shell never
   * interprets, else in single quotes with each {@code '} written {@code '\''}. {@code =} is not
   * safe ({@code a=b} in command position is an assignment), nor are reserved words.
   */
  static void quote(StringBuilder out, String value) {
    if (isSafe(value)) {
      out.append(value);
      return;
    }
    out.append('\'');
    int from = 0;
    for (int q = value.indexOf('\''); q >= 0; q = value.indexOf('\'', from)) {
      out.append(value, from, q).append("'\\''");
      from = q + 1;
    }
    out.append(value, from, value.length()).append('\'');
  }

  private static boolean isSafe(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean safe =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == '/'
              || c == ','
              || c == ':'
              || c == '+'
              || c == '@'
              || c == '%'
              || c == '-';
      if (!safe) {
        return false;
      }
    }
    return !RESERVED.contains(value);
  }

  private static InvalidTemplateException error(String template, String message) {
    return new InvalidTemplateException("command '" + template + "': " + message);
  }

  @Override
  public String toString() {
    return source;
  }

  /** What a job's placeholders are replaced with. */
  public record Values(
      List<String> inputs, List<String> outputs, List<String> extras, String workdir) {}
}
