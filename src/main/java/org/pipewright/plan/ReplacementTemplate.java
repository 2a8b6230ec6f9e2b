package org.pipewright.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Python {@code re} replacement template ({@code re.sub}'s {@code repl}), parsed once: {@code
 * \1}..{@code \99}, {@code \g<1>}, {@code \g<name>}, {@code \0} and three-digit octal escapes,
 * {@code \n}-style escapes, {@code \\}. Rules from Python 3.11's {@code re._parser.parse_template}.
 *
 * <p>Stored as alternating literals and group numbers: {@code literals[0] group[0] literals[1]
 * ...}.
 */
final class ReplacementTemplate {

  final String source;
  private final String[] literals;
  private final int[] groups;

  private ReplacementTemplate(String source, List<String> literals, List<Integer> groups) {
    this.source = source;
    this.literals = literals.toArray(String[]::new);
    this.groups = groups.stream().mapToInt(Integer::intValue).toArray();
  }

  /** True when the template has no group reference: its expansion is {@link #constant()}. */
  boolean isConstant() {
    return groups.length == 0;
  }

  String constant() {
    return literals[0];
  }

  /**
   * @param groupCount the number of groups of the regex
   * @param names its Python group names
   * @throws InvalidTemplateException as Python's {@code re} would raise {@code re.error} or {@code
   *     IndexError}; Ruffus reports both as fatal ({@code t_regex_replace} in ruffus_utility.py)
   */
  static ReplacementTemplate parse(String template, int groupCount, Map<String, Integer> names) {
    if (template.indexOf('\u0001') >= 0 || template.indexOf('\u0002') >= 0) {
      // t_regex_replace refuses these: they are what "\1" becomes in an unescaped Python string
      throw error(
          template,
          "contains the control character \\x01 or \\x02, probably a \\1 or \\2 "
              + "whose backslash was taken as an escape; write the backslash twice or quote with ''");
    }
    List<String> literals = new ArrayList<>();
    List<Integer> groups = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int n = template.length();
    int i = 0;
    while (i < n) {
      char c = template.charAt(i++);
      if (c != '\\') {
        literal.append(c);
        continue;
      }
      if (i >= n) {
        throw error(template, "bad escape (end of pattern)");
      }
      char e = template.charAt(i++);
      int group = -1;
      if (e == 'g') {
        int end = template.indexOf('>', i);
        if (i >= n || template.charAt(i) != '<') {
          throw error(template, "missing < after \\g");
        }
        if (end < 0) {
          throw error(template, "missing >, unterminated name");
        }
        String name = template.substring(i + 1, end);
        i = end + 1;
        if (!name.isEmpty() && name.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
          group = parseGroupNumber(template, name);
        } else if (names.containsKey(name)) {
          group = names.get(name);
        } else if (isIdentifier(name)) {
          throw error(template, "unknown group name '" + name + "'");
        } else {
          throw error(template, "bad character in group name '" + name + "'");
        }
      } else if (e == '0') {
        int start = i - 1;
        while (i < n && i - start < 3 && isOctal(template.charAt(i))) {
          i++;
        }
        literal.append((char) (Integer.parseInt(template.substring(start, i), 8) & 0xff));
      } else if (e >= '1' && e <= '9') {
        int start = i - 1;
        if (i < n && isDigit(template.charAt(i))) {
          i++;
          if (isOctal(e)
              && isOctal(template.charAt(i - 1))
              && i < n
              && isOctal(template.charAt(i))) {
            i++;
            int value = Integer.parseInt(template.substring(start, i), 8);
            if (value > 0377) {
              throw error(
                  template,
                  "octal escape value \\"
                      + template.substring(start, i)
                      + " outside of range 0-0o377");
            }
            literal.append((char) value);
            continue;
          }
        }
        group = Integer.parseInt(template.substring(start, i));
      } else {
        switch (e) {
          case 'a' -> literal.append('\u0007');
          case 'b' -> literal.append('\b');
          case 'f' -> literal.append('\f');
          case 'n' -> literal.append('\n');
          case 'r' -> literal.append('\r');
          case 't' -> literal.append('\t');
          case 'v' -> literal.append('\u000b');
          case '\\' -> literal.append('\\');
          default -> {
            if (e < 128 && Character.isLetter(e)) {
              throw error(template, "bad escape \\" + e);
            }
            literal.append('\\').append(e); // Python keeps unknown non-letter escapes as they are
          }
        }
      }
      if (group >= 0) {
        if (group > groupCount) {
          throw error(
              template,
              "invalid group reference "
                  + group
                  + " (the pattern has "
                  + groupCount
                  + (groupCount == 1 ? " group)" : " groups)"));
        }
        literals.add(literal.toString());
        literal.setLength(0);
        groups.add(group);
      }
    }
    // a template with nothing to substitute renders as the very same string
    literals.add(
        groups.isEmpty() && literal.length() == template.length() ? template : literal.toString());
    return new ReplacementTemplate(template, literals, groups);
  }

  /**
   * Appends the expansion for one match.
   *
   * @param text the matched string
   * @param spans start and end of each group (group 0 first), -1 for a group that did not take part
   */
  void expand(StringBuilder out, String text, int[] spans, int offset) {
    out.append(literals[0]);
    for (int k = 0; k < groups.length; k++) {
      int g = offset + 2 * groups[k];
      int start = spans[g];
      if (start >= 0) {
        out.append(text, start, spans[g + 1]); // an unmatched group expands to "" (Python >= 3.5)
      }
      out.append(literals[k + 1]);
    }
  }

  private static int parseGroupNumber(String template, String digits) {
    if (digits.length() > 9) {
      throw error(template, "invalid group reference " + digits);
    }
    return Integer.parseInt(digits);
  }

  private static boolean isIdentifier(String name) {
    if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
      return false;
    }
    return name.chars().allMatch(Character::isJavaIdentifierPart);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isOctal(char c) {
    return c >= '0' && c <= '7';
  }

  private static InvalidTemplateException error(String template, String message) {
    return new InvalidTemplateException("template '" + template + "': " + message);
  }
}
