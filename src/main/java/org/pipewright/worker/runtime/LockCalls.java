package org.pipewright.worker.runtime;

import java.util.function.Consumer;

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

  /**
   * Releases without waiting for the answer where the transport allows: the lock channel answers a
   * quiet release only when it refuses it. Over HTTP this is the call.
   *
   * @param body the release call's body ({@code {"token": 7}})
   * @param refusal hears of a refusal, on whichever thread it arrives
   * @throws UnreachableException when it could not be sent
   */
  default void releaseQuietly(String name, byte[] body, int timeoutMs, Consumer<HttpAnswer> refusal)
      throws UnreachableException {
    HttpAnswer answer = call("release", name, body, timeoutMs);
    if (!answer.ok()) {
      refusal.accept(answer);
    }
  }

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
