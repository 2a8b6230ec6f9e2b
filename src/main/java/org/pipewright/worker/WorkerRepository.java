package org.pipewright.worker;

import java.util.List;
import java.util.Optional;

/** Workers as stored. Implemented in {@code store}; writes are optimistic on {@code version}. */
public interface WorkerRepository {

  /** Stores a newly launched worker and returns its id. */
  long insert(WorkerRow worker);

  /**
   * Writes a worker whose stored version is still {@code expected}; {@code false} when someone else
   * wrote it first.
   */
  boolean update(WorkerRow worker, long expected);

  Optional<WorkerRow> find(long id);

  /** Workers that are launched or alive. */
  List<WorkerRow> findActive();

  /** The newest workers first. */
  List<WorkerRow> list(int limit);
}
