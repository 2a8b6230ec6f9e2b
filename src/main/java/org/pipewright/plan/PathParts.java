package org.pipewright.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Ruffus's path decomposition for {@code formatter()} ({@code path_decomposition} in
 * ruffus_utility.py), on workdir-relative names.
 *
 * <p>Ruffus first makes every name absolute ({@code os.path.abspath} in {@code
 * t_formatter_replace}), so for {@code "a.txt"} its {@code path} is the current directory, e.g.
 * {@code /home/me/run}. Pipewright's paths are relative to the workdir and may not be absolute, so
 * the workdir takes the current directory's place and is written {@code "."}: the parts are what
 * Ruffus gives for {@code "./" + name}, without the {@code "./"} prefix. {@code subpath} and {@code
 * subdir} therefore end at {@code "."} where Ruffus's go on up to {@code "/"}.
 */
final class PathParts {

  private PathParts() {}

  /** Python's {@code os.path.normpath}, except that "//a" becomes "/a" and "" becomes ".". */
  static String normalize(String name) {
    if (isNormal(name)) {
      return name;
    }
    boolean absolute = name.startsWith("/");
    List<String> parts = new ArrayList<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..") && !parts.isEmpty() && !parts.getLast().equals("..")) {
        parts.removeLast();
      } else if (!(part.equals("..") && absolute)) {
        parts.add(part);
      }
    }
    String joined = String.join("/", parts);
    return absolute ? "/" + joined : joined.isEmpty() ? "." : joined;
  }

  private static boolean isNormal(String name) {
    int n = name.length();
    if (n == 0 || name.charAt(n - 1) == '/') {
      return n == 1; // "/" is normal; "" and "dir/" are not
    }
    int segmentStart = 0;
    for (int i = 0; i <= n; i++) {
      if (i == n || name.charAt(i) == '/') {
        int len = i - segmentStart;
        if ((len == 0 && i > 0)
            || (len == 1 && name.charAt(segmentStart) == '.')
            || (len == 2 && name.startsWith("..", segmentStart) && segmentStart > 0)) {
          return false;
        }
        segmentStart = i + 1;
      }
    }
    return true;
  }

  /** {@code path}: the folder of a normalized name, "." for the workdir. */
  static String path(String normal) {
    int slash = normal.lastIndexOf('/');
    return slash < 0 ? "." : slash == 0 ? "/" : normal.substring(0, slash);
  }

  /** {@code basename}: the file name without its extension ({@code os.path.splitext}). */
  static String basename(String normal) {
    int start = normal.lastIndexOf('/') + 1;
    return normal.substring(start, extensionStart(normal, start));
  }

  /** {@code ext}: from the last dot, unless the dots lead the name (".bashrc" has none). */
  static String ext(String normal) {
    int start = normal.lastIndexOf('/') + 1;
    return normal.substring(extensionStart(normal, start));
  }

  private static int extensionStart(String normal, int nameStart) {
    int dot = normal.lastIndexOf('.');
    if (dot > nameStart) {
      for (int i = nameStart; i < dot; i++) {
        if (normal.charAt(i) != '.') {
          return dot;
        }
      }
    }
    return normal.length();
  }

  /** {@code subpath}: the folder, then each folder above it, ending at the workdir ("."). */
  static List<String> subpaths(String normal) {
    List<String> result = new ArrayList<>();
    String current = path(normal);
    while (true) {
      result.add(current);
      if (current.equals(".") || current.equals("/")) {
        return result;
      }
      int slash = current.lastIndexOf('/');
      current = slash < 0 ? "." : slash == 0 ? "/" : current.substring(0, slash);
    }
  }

  /** {@code subdir}: the last name of each {@code subpath}, "." for the workdir. */
  static List<String> subdirs(String normal) {
    List<String> paths = subpaths(normal);
    List<String> result = new ArrayList<>(paths.size());
    for (String p : paths) {
      result.add(p.equals("/") ? p : p.substring(p.lastIndexOf('/') + 1));
    }
    return result;
  }
}
