package org.pipewright.worker;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The worker pool in {@code /actuator/health}: up while a worker is alive, down when none is and
 * the launcher's last workers all ended at once or could not start (a broken {@code java-command},
 * a class path that lost its jar): runs would wait for ever.
 */
final class WorkerPoolHealth implements HealthIndicator {

  /** Failed starts in a row, with no worker alive, that make the pool down. */
  static final int FAILED_STARTS_DOWN = 3;

  private final WorkerRegistry registry;
  private final @Nullable Launcher launcher;

  WorkerPoolHealth(WorkerRegistry registry, @Nullable Launcher launcher) {
    this.registry = registry;
    this.launcher = launcher;
  }

  @Override
  public Health health() {
    Map<WorkerState, Integer> counts = registry.countByState();
    int alive = counts.get(WorkerState.ALIVE);
    int starting = counts.get(WorkerState.LAUNCHED);
    // No worker yet, none failing: starting, or waiting for workers started elsewhere.
    Health.Builder health = alive > 0 ? Health.up() : Health.unknown();
    if (launcher != null) {
      int failing = launcher.failingStarts();
      health.withDetail("failingStarts", failing);
      if (alive == 0 && failing >= FAILED_STARTS_DOWN) {
        health =
            Health.down()
                .withDetail("failingStarts", failing)
                .withDetail(
                    "reason",
                    "the last "
                        + failing
                        + " workers ended within seconds of their start or could not start; see"
                        + " worker.log in their folders");
      }
    } else {
      health.withDetail("launcher", "none: workers are started elsewhere");
    }
    return health.withDetail("alive", alive).withDetail("starting", starting).build();
  }
}
