package org.pipewright.worker.runtime;

/**
 * The control plane answered, but not with success: an error status, or a success whose body did
 * not read as the protocol says.
 */
final class RefusedException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;

  RefusedException(String call, int status, String detail) {
    super(call + " answered " + status + (detail.isEmpty() ? "" : ": " + abbreviate(detail)));
    this.status = status;
  }

  int status() {
    return status;
  }

  /**
   * Whether the answer says this worker is gone for good: 409 declares it lost, 401 refuses its
   * token (after a control-plane restart, say). Either way it must kill its jobs and exit.
   */
  boolean lost() {
    return status == 401 || status == 409;
  }

  private static String abbreviate(String detail) {
    String line = detail.replace('\n', ' ').replace('\r', ' ');
    return line.length() <= 300 ? line : line.substring(0, 300) + "...";
  }
}
