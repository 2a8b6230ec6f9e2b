package org.pipewright.plan;

/** Tells globs from plain paths, as Ruffus's {@code is_glob} does. */
public final class Globs {

  private Globs() {}

  /** Whether the path has a {@code *}, {@code ?} or {@code [} that makes it a pattern. */
  public static boolean isGlob(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '*' || c == '?' || c == '[') {
        return true;
      }
    }
    return false;
  }
}
