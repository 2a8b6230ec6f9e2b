package org.pipewright.worker.runtime;

/**
 * A cancelled Java job still ran {@link Attempt#JAVA_STOP_MS} after its interrupt. A thread cannot
 * be killed, so the worker exits: that is the only way to stop it.
 */
final class JobWouldNotStopException extends Exception {

  private static final long serialVersionUID = 1L;

  JobWouldNotStopException(Attempt attempt) {
    super(
        attempt
            + " did not stop within "
            + attempt.javaStopMs()
            + " ms of its interrupt ("
            + attempt.cancelReason()
            + ")");
  }
}
