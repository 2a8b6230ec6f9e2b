package org.pipewright.worker;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a worker: {@code LAUNCHED} by a launcher, {@code ALIVE} once it registered, and
 * {@code EXITED} (it stopped on purpose) or {@code LOST} (it died or went silent; its jobs run
 * elsewhere).
 */
public enum WorkerState {
  LAUNCHED,
  ALIVE,
  EXITED,
  LOST;

  private static final Map<WorkerState, Set<WorkerState>> ALLOWED =
      Map.of(
          LAUNCHED, EnumSet.of(ALIVE, EXITED, LOST),
          ALIVE, EnumSet.of(EXITED, LOST),
          EXITED, EnumSet.noneOf(WorkerState.class),
          LOST, EnumSet.noneOf(WorkerState.class));

  /** The state after a move; an illegal one throws. */
  public WorkerState to(WorkerState next) {
    if (!ALLOWED.get(this).contains(next)) {
      throw new IllegalStateException("illegal worker transition " + this + " -> " + next);
    }
    return next;
  }
}
