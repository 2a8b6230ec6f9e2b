package org.pipewright.pipeline;

/** What one job of a task does. */
public sealed interface Action {

  /**
   * A command run with {@code /bin/sh -c}; placeholders such as {@code {input}} are replaced by
   * shell-quoted values.
   */
  record Shell(String command) implements Action {}

  /** A class implementing {@code org.pipewright.sdk.Job}, loaded in the worker. */
  record JavaJob(String className) implements Action {}

  /** Create (or update the time of) every output, like Ruffus's {@code touch_files_only}. */
  record Touch() implements Action {}

  /** The text that, when it changes, makes jobs out of date at checksum level 2. */
  default String fingerprint() {
    return switch (this) {
      case Shell s -> "shell:" + s.command();
      case JavaJob j -> "java:" + j.className();
      case Touch t -> "touch";
    };
  }
}
