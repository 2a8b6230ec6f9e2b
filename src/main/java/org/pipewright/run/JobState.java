package org.pipewright.run;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a job within a run. A job waits ({@code PENDING}) until every job it depends on
 * succeeded, is {@code QUEUED} for a worker, {@code LEASED} to one, {@code RUNNING} there, and ends
 * {@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}. An attempt that fails with retries left,
 * or whose worker is lost, puts the job back to {@code QUEUED}. {@code SKIPPED} jobs were up to
 * date; {@code BLOCKED} jobs depend on one that failed. Every move goes through {@link #to}.
 */
public enum JobState {
  PENDING,
  QUEUED,
  LEASED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  SKIPPED,
  BLOCKED;

  private static final Map<JobState, Set<JobState>> ALLOWED =
      Map.of(
          PENDING, EnumSet.of(QUEUED, BLOCKED, CANCELLED),
          // FAILED straight from the queue: no worker could ever take it (too big for all).
          QUEUED, EnumSet.of(LEASED, CANCELLED, FAILED),
          LEASED, EnumSet.of(RUNNING, SUCCEEDED, FAILED, QUEUED, CANCELLED),
          RUNNING, EnumSet.of(SUCCEEDED, FAILED, QUEUED, CANCELLED),
          SUCCEEDED, EnumSet.noneOf(JobState.class),
          FAILED, EnumSet.noneOf(JobState.class),
          CANCELLED, EnumSet.noneOf(JobState.class),
          SKIPPED, EnumSet.noneOf(JobState.class),
          BLOCKED, EnumSet.noneOf(JobState.class));

  /**
   * The state after a move to {@code next}.
   *
   * @throws IllegalTransitionException when the table does not allow it: a bug, never a user error
   */
  public JobState to(JobState next) {
    if (!ALLOWED.get(this).contains(next)) {
      throw new IllegalTransitionException("job", this, next);
    }
    return next;
  }

  /** No further move is possible. */
  public boolean isFinal() {
    return ALLOWED.get(this).isEmpty();
  }

  /** A worker holds the job: it has a current attempt. */
  public boolean isHeld() {
    return this == LEASED || this == RUNNING;
  }
}
