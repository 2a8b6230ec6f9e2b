package org.pipewright.run;

import org.jspecify.annotations.Nullable;

/**
 * Hears every job that ends, once the scheduler's step that ended it is stored: the metrics count
 * them, each once. Called while the scheduler holds its lock, so it must only count, never wait.
 */
@FunctionalInterface
public interface RunObserver {

  /**
   * A job ended for good (a retried attempt is not an end).
   *
   * @param outcome {@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}
   * @param tookNanos from the start of its last attempt to its end, or null when it never started
   */
  void jobEnded(String pipeline, String task, JobState outcome, @Nullable Long tookNanos);
}
