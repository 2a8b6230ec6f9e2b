package org.pipewright.worker.runtime;

/** A job's path that is absolute, has a {@code ..} segment, or leads out of the workspace. */
final class PathEscapeException extends Exception {

  private static final long serialVersionUID = 1L;

  PathEscapeException(String message) {
    super(message);
  }
}
