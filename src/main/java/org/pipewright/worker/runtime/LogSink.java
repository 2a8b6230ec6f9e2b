package org.pipewright.worker.runtime;

/** Where a Java job's log goes: the shared log ({@link SharedLogSink}). */
interface LogSink {

  /** The log of one attempt, closed by the worker when the attempt ends. */
  AttemptLog open(Attempt attempt);
}
