package org.pipewright.worker;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.FieldError;
import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** The pool cannot take the size asked for. */
public abstract sealed class PoolSizeException extends PipewrightException {

  PoolSizeException(ProblemType problem, String message) {
    super(problem, message);
  }

  /** A size below 0 or above {@code pipewright.workers.max-count}. */
  static final class OutOfRange extends PoolSizeException {

    private static final ProblemType PROBLEM =
        new ProblemType("invalid-pool-size", 400, "Invalid pool size");

    OutOfRange(@Nullable Integer asked, int max) {
      super(
          PROBLEM,
          "workers must be a number between 0 and "
              + max
              + " (pipewright.workers.max-count)"
              + (asked == null ? "" : ", not " + asked));
    }

    @Override
    public List<FieldError> fieldErrors() {
      return List.of(new FieldError("workers", getMessage()));
    }
  }

  /** With {@code pipewright.workers.launcher=none} the workers come from elsewhere. */
  static final class NoLauncher extends PoolSizeException {

    private static final ProblemType PROBLEM =
        new ProblemType("no-launcher", 409, "This control plane launches no workers");

    NoLauncher() {
      super(
          PROBLEM,
          "pipewright.workers.launcher is none: workers are started elsewhere, so the pool has no"
              + " size to change here");
    }
  }
}
