package org.pipewright.worker;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many workers a launcher keeps, and which leave when the pool shrinks. A worker chosen to
 * leave is retired: it gets no more jobs and exits at its next call once it holds nothing, so a
 * shrinking pool never kills a job. Those that have not registered yet go first, then idle ones,
 * then the newest.
 */
final class PoolTarget {

  private final Set<Long> retired = ConcurrentHashMap.newKeySet();
  private volatile int target;

  PoolTarget(int target) {
    this.target = target;
  }

  int target() {
    return target;
  }

  void target(int workers) {
    this.target = workers;
  }

  /** Whether a worker that ended was retired: it is not replaced, and was not lost. */
  boolean retired(long id) {
    return retired.contains(id);
  }

  /** Forgets a worker that ended. */
  void ended(long id) {
    retired.remove(id);
  }

  /** How many of {@code workers} stay: the ones not retired. */
  int staying(Collection<Long> workers) {
    return (int) workers.stream().filter(id -> !retired.contains(id)).count();
  }

  /**
   * Retires workers beyond the target and returns them, in the order they were chosen.
   *
   * @param workers the launcher's workers now
   */
  List<Long> shrink(Collection<Long> workers, WorkerRegistry registry) {
    List<Long> staying = workers.stream().filter(id -> !retired.contains(id)).toList();
    int excess = staying.size() - target;
    if (excess <= 0) {
      return List.of();
    }
    List<Long> leaving =
        staying.stream()
            .sorted(
                Comparator.comparing((Long id) -> registry.hasRegistered(id))
                    .thenComparing(registry::busy)
                    .thenComparing(Comparator.<Long>reverseOrder()))
            .limit(excess)
            .toList();
    for (long id : leaving) {
      // Retired first, so that one registering meanwhile is told to leave before it takes a job.
      retired.add(id);
      registry.retire(id);
    }
    return leaving;
  }
}
