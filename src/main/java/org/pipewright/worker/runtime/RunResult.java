package org.pipewright.worker.runtime;

import org.jspecify.annotations.Nullable;

/** What a runner reports before the declared outputs are checked. */
record RunResult(Outcome outcome, @Nullable Integer exitCode, @Nullable String error) {

  static final RunResult OK = new RunResult(Outcome.SUCCEEDED, 0, null);

  static RunResult failed(@Nullable Integer exitCode, String error) {
    return new RunResult(Outcome.FAILED, exitCode, error);
  }

  boolean succeeded() {
    return outcome == Outcome.SUCCEEDED;
  }
}
