package org.pipewright.metrics;

import java.util.List;
import org.pipewright.run.ActiveRunCounts;
import org.pipewright.run.RunService;

/**
 * The active runs' counts, taken once per scrape: the gauges of one scrape share one copy (kept 250
 * ms), so they agree with each other, and a run of many tasks is copied once, not once per gauge.
 */
final class ActiveRuns {

  private static final long KEEP_NANOS = 250_000_000;

  private final RunService runs;
  private List<ActiveRunCounts> copy = List.of();
  private long takenAt = Long.MIN_VALUE;

  ActiveRuns(RunService runs) {
    this.runs = runs;
  }

  synchronized List<ActiveRunCounts> get() {
    long now = System.nanoTime();
    if (takenAt == Long.MIN_VALUE || now - takenAt > KEEP_NANOS) {
      copy = runs.activeRuns();
      takenAt = now;
    }
    return copy;
  }

  /** A fresh copy, for the refresher that adds and removes gauges. */
  List<ActiveRunCounts> fresh() {
    return runs.activeRuns();
  }
}
