package org.pipewright.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.pipewright.run.ActiveRunCounts;
import org.pipewright.run.RunProgress;

/**
 * {@code pipewright.run.progress} (tag pipeline): the progress of each pipeline's active run, as
 * {@code GET /api/runs/{id}} reports it ({@link RunProgress}). A pipeline has at most one active
 * run, so the pipeline is the tag and no run id is. Gauges come and go with the runs: {@link
 * #refresh} adds one for a run that started and removes those of runs that ended.
 */
final class RunProgressGauges {

  private final ActiveRuns runs;
  private final MeterRegistry registry;
  private final Map<String, Gauge> gauges = new HashMap<>();

  RunProgressGauges(ActiveRuns runs, MeterRegistry registry) {
    this.runs = runs;
    this.registry = registry;
  }

  synchronized void refresh() {
    Set<String> active = new HashSet<>();
    for (ActiveRunCounts run : runs.fresh()) {
      active.add(run.pipeline());
      gauges.computeIfAbsent(run.pipeline(), this::gauge);
    }
    gauges
        .entrySet()
        .removeIf(entry -> {
          if (active.contains(entry.getKey())) {
            return false;
          }
          registry.remove(entry.getValue());
          return true;
        });
  }

  private Gauge gauge(String pipeline) {
    return Gauge.builder("pipewright.run.progress", this, g -> g.progress(pipeline))
        .description("Finished jobs over all jobs of the pipeline's active run")
        .tag("pipeline", pipeline)
        .register(registry);
  }

  /** Read live when scraped, so it is what the run API answers at the same moment. */
  private double progress(String pipeline) {
    for (ActiveRunCounts run : runs.get()) {
      if (run.pipeline().equals(pipeline)) {
        return RunProgress.of(run.byTask(), false);
      }
    }
    return Double.NaN;
  }
}
