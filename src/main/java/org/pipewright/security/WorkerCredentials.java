package org.pipewright.security;

import java.util.OptionalLong;

/**
 * Who a worker's bearer token stands for. Implemented by the worker registry; security only asks.
 */
public interface WorkerCredentials {

  /** The worker whose launch this token registers, if it is a current launch token. */
  OptionalLong launchToken(String token);

  /** The registered worker whose session this token is, if any. */
  OptionalLong sessionToken(String token);

  /** The principal name of a worker with a session, as controllers see it. */
  static String principal(long workerId) {
    return "worker:" + workerId;
  }

  /** The worker id of a principal named by {@link #principal}, or -1 for anyone else. */
  static long workerId(String principal) {
    return principal.startsWith("worker:") ? Long.parseLong(principal.substring(7)) : -1;
  }
}
