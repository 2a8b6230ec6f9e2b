package org.pipewright.worker.runtime;

/** Runs one kind of job ({@code shell}, {@code java}, {@code touch}) to its end. */
interface JobRunner {

  /**
   * Runs the attempt in the folders {@link JobFiles#prepare()} made. Honours {@link
   * Attempt#cancel}: a cancelled attempt ends soon and its result is dropped.
   *
   * @throws JobWouldNotStopException when a cancelled job cannot be stopped; the worker must exit
   */
  RunResult run(Attempt attempt, JobFiles files)
      throws InterruptedException, JobWouldNotStopException;
}
