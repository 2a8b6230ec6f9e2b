package org.pipewright.worker.runtime;

import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * One attempt from spec to completion: resolve and check its paths, make its folders, run it with
 * the runner of its kind, check its declared outputs.
 */
final class JobExecutor {

  private final Workspace workspace;
  private final JobRunner shell;
  private final JobRunner java;
  private final JobRunner touch;
  private final LongSupplier wall;

  JobExecutor(
      Workspace workspace, JobRunner shell, JobRunner java, JobRunner touch, LongSupplier wall) {
    this.workspace = workspace;
    this.shell = shell;
    this.java = java;
    this.touch = touch;
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
        String missing = files.missingOutput();
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
    return new Completion(
        spec.id(),
        spec.token(),
        result.outcome(),
        result.exitCode(),
        attempt.startedAt,
        wall.getAsLong(),
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
