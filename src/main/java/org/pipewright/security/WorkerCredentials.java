package org.pipewright.security;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who a worker's bearer token stands for. Implemented by the worker registry; security only asks.
 */
public interface WorkerCredentials {

  /** The worker whose launch this token registers, if it is a current launch token. */
  OptionalLong launchToken(String token);

  /** The registered worker whose session this token is, if any. */
  OptionalLong sessionToken(String token);

  /**
   * The attempt whose token this is, while it holds its lease: a job calling the shared log or
   * locks itself (a shell job's {@code curl} with {@code PIPEWRIGHT_TOKEN}).
   */
  Optional<AttemptCredential> attemptToken(String token);

  /** A job's own credential: which worker runs it, for which run, job and attempt. */
  record AttemptCredential(long workerId, long runId, long jobId, int attempt) {}

  /** The authority that says which run, job and attempt an attempt token speaks for. */
  static String jobAuthority(long runId, long jobId, int attempt) {
    return JOB_AUTHORITY + runId + "_" + jobId + "_" + attempt;
  }

  /** What every {@link #jobAuthority} starts with. */
  String JOB_AUTHORITY = "JOB_";

  /** The principal name of a worker with a session, as controllers see it. */
  static String principal(long workerId) {
    return "worker:" + workerId;
  }

  /**
   * The principal of a job's attempt calling with its attempt token: under its worker's, so the
   * worker's loss ends the attempt's locks too, yet its own, so no other job, nor another attempt
   * of the same job, can renew or release them.
   */
  static String jobPrincipal(long workerId, long jobId, int attempt) {
    return principal(workerId) + "/job:" + jobId + "." + attempt;
  }

  /** The worker id of a principal named by {@link #principal}, or -1 for anyone else. */
  static long workerId(String principal) {
    if (!principal.startsWith("worker:") || principal.indexOf('/') >= 0) {
      return -1;
    }
    return Long.parseLong(principal.substring(7));
  }
}
