package org.pipewright.plan;

import java.util.HashMap;
import java.util.Map;

/**
 * Translates a Python {@code re} pattern to Java syntax in one pass (rules from Python 3.11's
 * {@code re._parser}), numbering groups as Python does and recording the names of named groups.
 * Throws {@link IllegalArgumentException} with Python's wording where Python rejects the pattern.
 */
final class PythonRegexTranslator {
  private final String in;
  private final StringBuilder out;
  final Map<String, Integer> names = new HashMap<>();
  private int pos;
  private int groups;
  private boolean verbose;

  PythonRegexTranslator(String in) {
    this.in = in;
    this.out = new StringBuilder(in.length() + 16);
  }

  String translate() {
    // Python 3.11 only accepts global flags at the very start; verbose mode changes how the rest
    // scans, so it is handled here rather than by Java's COMMENTS (which also drops spaces in
    // character classes, unlike Python).
    if (in.startsWith("(?") && in.indexOf(')') > 0) {
      String flags = in.substring(2, in.indexOf(')'));
      if (flags.chars().allMatch(c -> "aiLmsux".indexOf(c) >= 0) && flags.indexOf('x') >= 0) {
        verbose = true;
      }
    }
    while (pos < in.length()) {
      char c = in.charAt(pos++);
      switch (c) {
        case '\\' -> escape(false);
        case '(' -> group();
        case '[' -> characterClass();
        case '{' -> brace();
        case '}' -> out.append("\\}");
        case '#' -> {
          if (verbose) {
            while (pos < in.length() && in.charAt(pos) != '\n') {
              pos++;
            }
          } else {
            out.append(c);
          }
        }
        default -> {
          if (!(verbose && Character.isWhitespace(c))) {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private void group() {
    if (!in.startsWith("?", pos)) {
      groups++;
      out.append('(');
      return;
    }
    if (in.startsWith("?P<", pos)) {
      int end = in.indexOf('>', pos);
      if (end < 0) {
        throw new IllegalArgumentException("missing >, unterminated name");
      }
      String name = in.substring(pos + 3, end);
      checkName(name);
      groups++;
      if (names.putIfAbsent(name, groups) != null) {
        throw new IllegalArgumentException("redefinition of group name '" + name + "'");
      }
      pos = end + 1;
      out.append('(');
    } else if (in.startsWith("?P=", pos)) {
      int end = in.indexOf(')', pos);
      if (end < 0) {
        throw new IllegalArgumentException("missing ), unterminated name");
      }
      String name = in.substring(pos + 3, end);
      Integer group = names.get(name);
      if (group == null) {
        throw new IllegalArgumentException("unknown group name '" + name + "'");
      }
      pos = end + 1;
      out.append("(?:\\").append(group).append(')');
    } else if (in.startsWith("?#", pos)) {
      int end = in.indexOf(')', pos);
      if (end < 0) {
        throw new IllegalArgumentException("missing ), unterminated comment");
      }
      pos = end + 1;
    } else if (in.startsWith("?<", pos)
        && !in.startsWith("?<=", pos)
        && !in.startsWith("?<!", pos)) {
      // Java's (?<name>...) is not Python syntax; Python says "unknown extension ?<n".
      throw new IllegalArgumentException("unknown extension ?<; named groups are (?P<name>...)");
    } else if (in.startsWith("?(", pos)) {
      throw new IllegalArgumentException("conditional groups (?(id)yes|no) are not supported");
    } else if (in.startsWith("?P", pos)) {
      throw new IllegalArgumentException("unknown extension ?P");
    } else {
      flagsOrLookaround();
    }
  }

  /** Inline flags ({@code (?i)}, {@code (?a:...)}) or a group kind Java shares with Python. */
  private void flagsOrLookaround() {
    int p = pos + 1;
    StringBuilder on = new StringBuilder();
    StringBuilder off = new StringBuilder();
    boolean negative = false;
    while (p < in.length() && "aiLmsux-".indexOf(in.charAt(p)) >= 0) {
      char f = in.charAt(p++);
      switch (f) {
        case '-' -> negative = true;
        case 'a' -> off.append('U'); // ASCII-only classes: turn Java's Unicode classes off
        case 'u' -> {} // Unicode classes: already the default
        case 'L' -> throw new IllegalArgumentException("bad inline flag: cannot use 'L' on str");
        default -> {
          if (!(f == 'x' && verbose)) {
            (negative ? off : on).append(f);
          }
        }
      }
    }
    if (p == pos + 1) {
      out.append("(?"); // (?: (?= (?! (?<= (?<! (?> are the same in Java
      pos++;
      return;
    }
    if (on.isEmpty() && off.isEmpty() && p < in.length() && in.charAt(p) == ')') {
      pos = p + 1; // only flags the translation already applied, e.g. a leading (?x)
      return;
    }
    out.append("(?").append(on);
    if (!off.isEmpty()) {
      out.append('-').append(off);
    }
    pos = p;
  }

  private static void checkName(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("missing group name");
    }
    if (!Character.isJavaIdentifierStart(name.charAt(0)) || name.charAt(0) == '$') {
      throw new IllegalArgumentException("bad character in group name '" + name + "'");
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!Character.isJavaIdentifierPart(c) || c == '$') {
        throw new IllegalArgumentException("bad character in group name '" + name + "'");
      }
    }
  }

  /** Python takes {m,n}, {m,}, {,n} and {m} as quantifiers and any other brace as a literal. */
  private void brace() {
    int p = pos;
    int lo = p;
    while (p < in.length() && isDigit(in.charAt(p))) {
      p++;
    }
    String min = in.substring(lo, p);
    String max = null;
    if (p < in.length() && in.charAt(p) == ',') {
      int hi = ++p;
      while (p < in.length() && isDigit(in.charAt(p))) {
        p++;
      }
      max = in.substring(hi, p);
    }
    boolean quantifier = p < in.length() && in.charAt(p) == '}' && !(min.isEmpty() && max == null);
    if (!quantifier) {
      out.append("\\{");
      return;
    }
    out.append('{').append(min.isEmpty() ? "0" : min);
    if (max != null) {
      out.append(',').append(max);
    }
    out.append('}');
    pos = p + 1;
  }

  private void characterClass() {
    out.append('[');
    if (pos < in.length() && in.charAt(pos) == '^') {
      out.append('^');
      pos++;
    }
    if (pos < in.length() && in.charAt(pos) == ']') {
      out.append("\\]"); // a leading ] is a literal in Python
      pos++;
    }
    while (pos < in.length()) {
      char c = in.charAt(pos++);
      switch (c) {
        case ']' -> {
          out.append(']');
          return;
        }
        case '\\' -> escape(true);
        // Java reads [ as a nested class and && as intersection; Python reads both literally
        case '[', '&' -> out.append('\\').append(c);
        default -> out.append(c);
      }
    }
    throw new IllegalArgumentException("unterminated character set");
  }

  private void escape(boolean inClass) {
    if (pos >= in.length()) {
      throw new IllegalArgumentException("bad escape (end of pattern)");
    }
    char c = in.charAt(pos++);
    switch (c) {
      case 'd', 'D', 's', 'S', 'w', 'W', 'n', 'r', 't', 'f' -> out.append('\\').append(c);
      case 'A', 'b', 'B', 'Z' -> {
        if (inClass && c != 'b') {
          throw new IllegalArgumentException("bad escape \\" + c);
        }
        out.append(inClass ? "\\x08" : c == 'Z' ? "\\z" : "\\" + c);
      }
      case 'a' -> out.append("\\x07");
      case 'v' -> out.append("\\x0B"); // Java's \v is a class of vertical whitespace
      case 'x' -> out.append("\\x{").append(hex(2)).append('}');
      case 'u' -> out.append("\\x{").append(hex(4)).append('}');
      case 'U' -> out.append("\\x{").append(hex(8)).append('}');
      case 'N' -> {
        int end = in.indexOf('}', pos);
        if (!in.startsWith("{", pos) || end < 0) {
          throw new IllegalArgumentException("missing { or } in \\N{...}");
        }
        out.append("\\N").append(in, pos, end + 1);
        pos = end + 1;
      }
      default -> {
        if (isDigit(c)) {
          digits(c, inClass);
        } else if (c < 128 && Character.isLetter(c)) {
          throw new IllegalArgumentException("bad escape \\" + c);
        } else {
          literal(c);
        }
      }
    }
  }

  /** Python: \0 and three octal digits are octal escapes; other digits refer to a group. */
  private void digits(char first, boolean inClass) {
    int start = pos - 1;
    if (first == '0' || inClass) {
      if (first > '7') {
        throw new IllegalArgumentException("bad escape \\" + first);
      }
      while (pos < in.length() && pos - start < 3 && isOctal(in.charAt(pos))) {
        pos++;
      }
      literal((char) Integer.parseInt(in.substring(start, pos), 8));
      return;
    }
    if (pos + 1 < in.length()
        && isOctal(first)
        && isOctal(in.charAt(pos))
        && isOctal(in.charAt(pos + 1))) {
      pos += 2;
      int value = Integer.parseInt(in.substring(start, pos), 8);
      if (value > 0377) {
        throw new IllegalArgumentException("octal escape value outside of range 0-0o377");
      }
      literal((char) value);
      return;
    }
    if (pos < in.length() && isDigit(in.charAt(pos))) {
      pos++;
    }
    int group = Integer.parseInt(in.substring(start, pos));
    if (group > groups) {
      throw new IllegalArgumentException("invalid group reference " + group);
    }
    out.append("(?:\\").append(group).append(')');
  }

  private String hex(int n) {
    if (pos + n > in.length()) {
      throw new IllegalArgumentException("incomplete escape");
    }
    String h = in.substring(pos, pos + n);
    for (int i = 0; i < n; i++) {
      if (Character.digit(h.charAt(i), 16) < 0) {
        throw new IllegalArgumentException("incomplete escape \\x" + h);
      }
    }
    pos += n;
    return h;
  }

  private void literal(char c) {
    out.append("\\x{").append(Integer.toHexString(c)).append('}');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isOctal(char c) {
    return c >= '0' && c <= '7';
  }
}
