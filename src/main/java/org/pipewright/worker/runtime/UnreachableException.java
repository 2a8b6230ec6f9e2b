package org.pipewright.worker.runtime;

import java.io.IOException;

/**
 * A call that got no HTTP answer: the connection failed, broke, or timed out. Distinct from an
 * answer with an error status, which proves the control plane is there.
 */
final class UnreachableException extends IOException {

  private static final long serialVersionUID = 1L;

  UnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
