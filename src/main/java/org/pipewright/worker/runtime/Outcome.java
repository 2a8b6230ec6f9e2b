package org.pipewright.worker.runtime;

/** How an attempt ended, as a Completion reports it. */
enum Outcome {
  SUCCEEDED,
  FAILED,
  CANCELLED
}
