package org.pipewright.web;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.worker.PoolSize;
import org.pipewright.worker.WorkerRegistry;
import org.pipewright.worker.WorkerRow;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The workers, newest first: where each runs (its SLURM job too), what it offers, its state. */
@RestController
@RequestMapping(path = "/api", produces = MediaType.APPLICATION_JSON_VALUE)
class WorkerController {

  static final int MAX_LIMIT = 1000;

  private final WorkerRegistry registry;
  private final PoolSize pool;

  WorkerController(WorkerRegistry registry, PoolSize pool) {
    this.registry = registry;
    this.pool = pool;
  }

  /**
   * A worker as the API shows it.
   *
   * @param slurmJobId the SLURM job it runs as ({@code squeue -j}), or null for other launchers
   * @param cpus the cores it offered when it registered, or null before
   * @param memoryMb the memory (MiB) it offered when it registered, or null before
   */
  record WorkerView(
      long id,
      String launcher,
      String state,
      @Nullable String host,
      @Nullable Long pid,
      @Nullable String slurmJobId,
      @Nullable Integer cpus,
      @Nullable Long memoryMb,
      Instant launchedAt,
      @Nullable Instant registeredAt,
      @Nullable Instant leaseExpiresAt,
      @Nullable Instant endedAt) {

    static WorkerView of(WorkerRow row) {
      return new WorkerView(
          row.id(),
          row.launcher(),
          row.state().name(),
          row.host(),
          row.pid(),
          row.slurmJobId(),
          row.offered() == null ? null : row.offered().cpus(),
          row.offered() == null ? null : row.offered().memoryMb(),
          row.launchedAt(),
          row.registeredAt(),
          row.leaseExpiresAt(),
          row.endedAt());
    }
  }

  record WorkerList(List<WorkerView> workers) {}

  @GetMapping("/workers")
  WorkerList workers(@RequestParam(defaultValue = "100") int limit) {
    if (limit < 0 || limit > MAX_LIMIT) {
      throw new BadPageException(MAX_LIMIT);
    }
    return new WorkerList(registry.recent(limit).stream().map(WorkerView::of).toList());
  }

  @GetMapping("/workers/pool")
  PoolSize.View pool() {
    return pool.current();
  }

  record ResizeBody(@Nullable Integer workers) {}

  /** Grows or shrinks the pool; a worker that leaves finishes its job first. */
  @PutMapping(path = "/workers/pool", consumes = MediaType.APPLICATION_JSON_VALUE)
  PoolSize.View resize(@RequestBody ResizeBody body) {
    return pool.resize(body.workers());
  }
}
