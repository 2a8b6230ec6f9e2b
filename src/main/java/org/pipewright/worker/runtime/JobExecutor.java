package org.pipewright.worker.runtime;

import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * One attempt from spec to completion: resolve and check its paths, make its folders, run it with
 * the runner of its kind, check its declared outputs, and wait until the shared log has stored
 * every record the attempt wrote, so that a completed job's log is complete.
 */
final class JobExecutor {

  private final Workspace workspace;
  private final JobRunner shell;
  private final JobRunner java;
  private final JobRunner touch;
  private final SharedLogClient log;
  private final long storeWaitMs;
  private final LongSupplier wall;

  /**
   * @param storeWaitMs how long a completion waits for the attempt's records to be stored before it
   *     is reported anyway: a control plane that is away ends the worker sooner (the unreachable
   *     limit), one that answers everything but the log must not hold the job for ever
   */
  JobExecutor(
      Workspace workspace,
      JobRunner shell,
      JobRunner java,
      JobRunner touch,
      SharedLogClient log,
      long storeWaitMs,
      LongSupplier wall) {
    this.workspace = workspace;
    this.shell = shell;
    this.java = java;
    this.touch = touch;
    this.log = log;
    this.storeWaitMs = storeWaitMs;
    this.wall = wall;
  }

  Completion execute(Attempt attempt) throws InterruptedException, JobWouldNotStopException {
    JobSpec spec = attempt.spec;
    RunResult result;
    try {
      JobFiles files = JobFiles.resolve(spec, workspace);
      files.prepare();
      result = run(attempt, files);
      if (result.succeeded()) {
        String missing = files.checkOutputs();
        if (missing != null) {
          result =
              RunResult.failed(
                  result.exitCode(), "declared output " + missing + " was not produced");
        }
      }
    } catch (PathEscapeException e) {
      result = RunResult.failed(null, e.getMessage());
    } catch (IOException e) {
      result = RunResult.failed(null, "could not make the job's folders: " + e);
    }
    long finishedAt = wall.getAsLong();
    // A job that ended by itself is reported even if a fence (a lease that lapsed while the control
    // plane was away, say for a restart) cancels it from here on: dropping the result would run
    // the finished job again. Its log is awaited in full, whatever cancels come.
    boolean ended = attempt.endedByItself();
    // A cancelled attempt is not reported: nothing to wait for. Returns at once when the job wrote
    // nothing, or everything it wrote is stored already.
    if (attempt.worthReporting()
        && !log.awaitStored(storeWaitMs, ended ? null : attempt)
        && attempt.worthReporting()) {
      WorkerLog.warn(
          "the shared log did not store the records of "
              + attempt
              + " within "
              + storeWaitMs
              + " ms; reporting it anyway");
    }
    return new Completion(
        spec.id(),
        spec.token(),
        result.outcome(),
        result.exitCode(),
        attempt.startedAt,
        finishedAt,
        result.error());
  }

  private RunResult run(Attempt attempt, JobFiles files)
      throws InterruptedException, JobWouldNotStopException {
    switch (attempt.spec.kind()) {
      case "shell":
        return shell.run(attempt, files);
      case "java":
        return java.run(attempt, files);
      case "touch":
        return touch.run(attempt, files);
      default:
        return RunResult.failed(null, "unknown job kind '" + attempt.spec.kind() + "'");
    }
  }
}
