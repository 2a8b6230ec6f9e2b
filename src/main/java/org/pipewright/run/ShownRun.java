package org.pipewright.run;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What readers of an active run see: its jobs in plan order with the states last stored, and its
 * counts. The scheduler publishes it after each step it stored; readers take no lock, so showing a
 * run never waits for a step, however long (a split that ends with 100,000 outputs records them all
 * in one).
 */
final class ShownRun {

  final long id;
  final String pipeline;
  private volatile List<JobSlot> slots = List.of();
  private volatile Map<String, Map<JobState, Integer>> counts = Map.of();

  ShownRun(long id, String pipeline) {
    this.id = id;
    this.pipeline = pipeline;
  }

  /** A page of this run's jobs, and the states shown for them. */
  record Page(List<Long> ids, Map<Long, JobState> states) {}

  /** After jobs were added (by the scheduler, under its lock). */
  void showSlots(Collection<JobSlot> inPlanOrder) {
    slots = List.copyOf(inPlanOrder);
  }

  /** After a step was stored (by the scheduler, under its lock); {@code copy} is not kept by it. */
  void showCounts(Map<String, Map<JobState, Integer>> copy) {
    counts = copy;
  }

  Map<String, Map<JobState, Integer>> counts() {
    return counts;
  }

  /** Jobs in plan order, optionally of one task and in one state; a scan of memory, no lock. */
  Page page(@Nullable String task, @Nullable JobState state, int offset, int limit) {
    List<Long> ids = new ArrayList<>(Math.min(limit, 1024));
    Map<Long, JobState> states = new HashMap<>();
    int skipped = 0;
    for (JobSlot slot : slots) {
      if (ids.size() >= limit) {
        break;
      }
      JobState shown = slot.shown;
      if (task != null && !task.equals(slot.task) || state != null && shown != state) {
        continue;
      }
      if (skipped < offset) {
        skipped++;
        continue;
      }
      ids.add(slot.id);
      states.put(slot.id, shown);
    }
    return new Page(ids, states);
  }
}
