package org.pipewright.pipeline;

import java.util.Optional;

/**
 * Paths in a definition are relative to the pipeline's workdir and may not leave it. Templates are
 * checked as written ({@code \1} and {@code {path[0]}} stay); a worker checks the substituted path
 * again when it resolves it.
 */
public final class PathRules {

  /** Linux's PATH_MAX; also bounds what a template can grow into when it is substituted. */
  static final int MAX_PATH = 4096;

  private PathRules() {}

  /** The problem with a path, or empty when it stays inside the workdir. */
  static Optional<String> problem(String path) {
    if (path.isBlank()) {
      return Optional.of("must not be blank");
    }
    if (path.length() > MAX_PATH) {
      return Optional.of("is longer than " + MAX_PATH + " characters (PATH_MAX)");
    }
    if (path.indexOf('\0') >= 0) {
      return Optional.of("must not contain a NUL character");
    }
    // Only '/' makes a path absolute: workers run on POSIX, and '\1' starts many regex templates.
    if (path.startsWith("/")) {
      return Optional.of("'" + path + "' is absolute; paths are relative to the workdir");
    }
    if (hasParentSegment(path)) {
      return Optional.of("'" + path + "' leaves the workdir ('..' is not allowed)");
    }
    return Optional.empty();
  }

  /**
   * Absolute, or with a {@code ..} segment: what a definition may not name, and what a planned path
   * made by substitution may not be either.
   */
  public static boolean leavesWorkdir(String path) {
    return path.startsWith("/") || hasParentSegment(path);
  }

  private static boolean hasParentSegment(String path) {
    if (!path.contains("..")) {
      return false; // most paths: no split
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  static void check(Read.Located path, Errors errors) {
    problem(path.value()).ifPresent(message -> errors.add(path.path(), message));
  }

  /** The path with {@code .} and empty segments removed, to compare two spellings of one file. */
  static String normalize(String path) {
    StringBuilder result = new StringBuilder();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty() && !segment.equals(".")) {
        if (!result.isEmpty()) {
          result.append('/');
        }
        result.append(segment);
      }
    }
    return result.toString();
  }
}
