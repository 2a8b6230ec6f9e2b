package org.pipewright.worker.runtime;

/**
 * How the calls of the locks reach the control plane: one call, {@code acquire}, {@code renew} or
 * {@code release}, with the JSON body of its HTTP call, answered as the HTTP call would be.
 */
interface LockCalls {

  /**
   * @param op {@code acquire}, {@code renew} or {@code release}
   * @param name the lock
   * @param body the HTTP call's JSON body, an object
   * @throws UnreachableException when no answer came
   */
  HttpAnswer call(String op, String name, byte[] body, int timeoutMs) throws UnreachableException;

  /** The HTTP calls: {@code POST /api/locks/{name}/{op}}. */
  static LockCalls http(ControlPlane controlPlane) {
    return new Http(controlPlane);
  }

  /** A class, not a lambda: a lambda's first bootstrap costs a starting worker milliseconds. */
  final class Http implements LockCalls {
    private final ControlPlane controlPlane;

    Http(ControlPlane controlPlane) {
      this.controlPlane = controlPlane;
    }

    @Override
    public HttpAnswer call(String op, String name, byte[] body, int timeoutMs)
        throws UnreachableException {
      return controlPlane.post(op, "/api/locks/" + name + "/" + op, body, timeoutMs);
    }
  }
}
