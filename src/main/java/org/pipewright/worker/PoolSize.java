package org.pipewright.worker;

import org.jspecify.annotations.Nullable;

/**
 * How many workers the pool keeps, as an operator reads and changes it while the service runs. The
 * configured {@code pipewright.workers.count} holds again after a restart; each control plane has a
 * pool of its own.
 */
public final class PoolSize {

  /**
   * The pool's size.
   *
   * @param launcher the launcher that keeps it ({@code local}, {@code slurm}, {@code none})
   * @param workers how many workers of the configured size it keeps; for {@code slurm}, the workers
   *     of {@code pipewright.slurm.groups} come on top
   * @param maxWorkers the most it may be given ({@code pipewright.workers.max-count})
   */
  public record View(String launcher, int workers, int maxWorkers) {}

  private final @Nullable Launcher launcher;
  private final WorkerProperties properties;

  PoolSize(@Nullable Launcher launcher, WorkerProperties properties) {
    this.launcher = launcher;
    this.properties = properties;
  }

  public View current() {
    return new View(
        properties.launcher(), launcher == null ? 0 : launcher.size(), properties.maxCount());
  }

  /**
   * Keeps {@code workers} from now on: the missing ones start at once; the surplus take no more
   * jobs and leave when their job is done, the idle ones first.
   */
  public View resize(@Nullable Integer workers) {
    if (launcher == null) {
      throw new PoolSizeException.NoLauncher();
    }
    if (workers == null || workers < 0 || workers > properties.maxCount()) {
      throw new PoolSizeException.OutOfRange(workers, properties.maxCount());
    }
    launcher.resize(workers);
    return current();
  }
}
