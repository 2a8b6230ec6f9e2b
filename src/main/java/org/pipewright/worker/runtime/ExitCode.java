package org.pipewright.worker.runtime;

/**
 * Why a worker process ended, as its exit status, so a launcher can tell a worker that was told to
 * go from one that must be replaced. A SIGTERM ends it with the JVM's own 143.
 */
enum ExitCode {
  /** The control plane said {@code exit}. */
  DONE(0, false),
  /** An error the worker did not expect; see its log. */
  CRASHED(1, true),
  /** The environment variables are missing or wrong. */
  MISCONFIGURED(2, true),
  /** {@code register} answered 401: the launch token is unknown. */
  LAUNCH_REFUSED(3, true),
  /** The control plane declared this worker lost (409) or no longer knows its session (401). */
  LOST(4, true),
  /** No answer from the control plane for {@code PIPEWRIGHT_UNREACHABLE_MS}. */
  UNREACHABLE(5, true),
  /** A cancelled Java job ignored its interrupt: exiting is the only way to stop it. */
  JOB_WOULD_NOT_STOP(6, true);

  final int status;

  /** Whether the running job is killed on the way out; otherwise it has ended already. */
  final boolean killsJobs;

  ExitCode(int status, boolean killsJobs) {
    this.status = status;
    this.killsJobs = killsJobs;
  }
}
