package org.pipewright.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pipewright.lock.LockChannel;
import org.pipewright.lock.LockManager;
import org.pipewright.run.ActiveRunCounts;
import org.pipewright.run.JobState;
import org.pipewright.worker.WorkerRegistry;
import org.pipewright.worker.WorkerState;

/**
 * Gauges read when scraped, from the scheduler's and the registry's memory: queued and running
 * jobs, active runs, workers by state, locks held.
 */
final class StateGauges implements MeterBinder {

  private final ActiveRuns runs;
  private final WorkerRegistry workers;
  private final LockManager locks;
  private final LockChannel channel;

  StateGauges(ActiveRuns runs, WorkerRegistry workers, LockManager locks, LockChannel channel) {
    this.runs = runs;
    this.workers = workers;
    this.locks = locks;
    this.channel = channel;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("pipewright.jobs.queued", this, g -> g.jobsIn(List.of(JobState.QUEUED)))
        .description("Jobs ready and waiting for a worker, over all active runs")
        .register(registry);
    Gauge.builder(
            "pipewright.jobs.running",
            this,
            g -> g.jobsIn(List.of(JobState.LEASED, JobState.RUNNING)))
        .description("Jobs handed to a worker and not ended, over all active runs")
        .register(registry);
    Gauge.builder("pipewright.runs.active", runs, r -> r.get().size())
        .description("Runs in progress")
        .register(registry);
    // Only the states a worker is in while this control plane knows it: an ended one is forgotten.
    for (WorkerState state : List.of(WorkerState.LAUNCHED, WorkerState.ALIVE)) {
      Gauge.builder("pipewright.workers", workers, w -> w.countByState().get(state))
          .description("Workers by state")
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    Gauge.builder("pipewright.lock.held", locks, LockManager::heldCount)
        .description("Shared locks that have a holder")
        .register(registry);
    Gauge.builder("pipewright.lock.channel.sockets", channel, LockChannel::sockets)
        .description("Sockets open on the lock channel: workers and tools that take locks often")
        .register(registry);
  }

  private double jobsIn(List<JobState> states) {
    int jobs = 0;
    for (ActiveRunCounts run : runs.get()) {
      for (Map<JobState, Integer> task : run.byTask().values()) {
        for (JobState state : states) {
          jobs += task.getOrDefault(state, 0);
        }
      }
    }
    return jobs;
  }
}
