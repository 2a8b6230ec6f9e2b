package org.pipewright.worker.runtime;

import java.util.function.LongSupplier;

/**
 * The worker's two clocks: wall time for what it reports (startedAt, log lines) and a monotonic
 * clock for its own deadlines. Named classes, not lambdas, to keep the first bootstrap of a lambda
 * off a starting worker's path.
 */
final class Clocks {

  private Clocks() {}

  static final LongSupplier WALL = new Wall();
  static final LongSupplier MONOTONIC = new Monotonic();

  private static final class Wall implements LongSupplier {
    @Override
    public long getAsLong() {
      return System.currentTimeMillis();
    }
  }

  private static final class Monotonic implements LongSupplier {
    @Override
    public long getAsLong() {
      return System.nanoTime() / 1_000_000;
    }
  }
}
