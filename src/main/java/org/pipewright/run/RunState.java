package org.pipewright.run;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a run: {@code QUEUED} while it is planned, {@code RUNNING} until no job is left, then
 * {@code SUCCEEDED}, {@code FAILED} (a job failed for good) or {@code CANCELLED}.
 */
public enum RunState {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  private static final Map<RunState, Set<RunState>> ALLOWED =
      Map.of(
          QUEUED, EnumSet.of(RUNNING, FAILED, CANCELLED),
          RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED),
          SUCCEEDED, EnumSet.noneOf(RunState.class),
          FAILED, EnumSet.noneOf(RunState.class),
          CANCELLED, EnumSet.noneOf(RunState.class));

  /**
   * The state after a move to {@code next}.
   *
   * @throws IllegalTransitionException when the table does not allow it
   */
  public RunState to(RunState next) {
    if (!ALLOWED.get(this).contains(next)) {
      throw new IllegalTransitionException("run", this, next);
    }
    return next;
  }

  /** The run is over. */
  public boolean isFinal() {
    return ALLOWED.get(this).isEmpty();
  }
}
