package org.pipewright.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.worker.WorkerRegistry;
import org.pipewright.worker.WorkerRow;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The workers page: the newest workers, where they run (SLURM job and node), what they offer. */
@Controller
class WorkerPages {

  static final int SHOWN = 200;

  private final WorkerRegistry registry;
  private final Clock clock;

  WorkerPages(WorkerRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * One row of the table.
   *
   * @param offered {@code 2 cpus, 4096 MB}, or empty before the worker registered
   * @param lived how long it has lived, or lived
   */
  record WorkerLine(
      long id,
      String state,
      String launcher,
      @Nullable String host,
      @Nullable Long pid,
      @Nullable String slurmJobId,
      String offered,
      Instant launchedAt,
      String lived) {

    static WorkerLine of(WorkerRow row, Instant now) {
      return new WorkerLine(
          row.id(),
          row.state().name(),
          row.launcher(),
          row.host(),
          row.pid(),
          row.slurmJobId(),
          row.offered() == null ? "" : row.offered().toString(),
          row.launchedAt(),
          Durations.between(row.launchedAt(), row.endedAt(), now));
    }
  }

  @GetMapping("/workers")
  String workers(Model model) {
    Instant now = clock.instant();
    List<WorkerLine> lines =
        registry.recent(SHOWN).stream().map(row -> WorkerLine.of(row, now)).toList();
    model.addAttribute("workers", lines);
    model.addAttribute("shown", SHOWN);
    return "workers";
  }
}
