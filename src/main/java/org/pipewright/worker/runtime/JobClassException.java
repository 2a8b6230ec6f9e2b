package org.pipewright.worker.runtime;

/** A Java job's class that cannot be loaded or is no {@link org.pipewright.sdk.Job}. */
final class JobClassException extends Exception {

  private static final long serialVersionUID = 1L;

  JobClassException(String message) {
    super(message);
  }
}
