package org.pipewright.worker.runtime;

/**
 * Where a Java job's log goes. For now a file per attempt ({@link FileLogSink}); the shared log (an
 * HTTP client of {@code POST /api/log}) replaces it without the job noticing.
 */
interface LogSink {

  /** The log of one attempt, closed by the worker when the attempt ends. */
  AttemptLog open(JobSpec spec, JobFiles files);
}
