package org.pipewright.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.pipewright.Periodic;
import org.pipewright.WorkspaceProperties;
import org.pipewright.lock.LockChannel;
import org.pipewright.lock.LockManager;
import org.pipewright.run.RunService;
import org.pipewright.run.Scheduler;
import org.pipewright.sharedlog.SharedLog;
import org.pipewright.worker.WorkerRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds the meters and tells each capability's observer hook where to count. */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

  @Bean
  JobMeters jobMeters(MeterRegistry registry, Scheduler scheduler) {
    JobMeters meters = new JobMeters(registry);
    scheduler.observe(meters);
    return meters;
  }

  @Bean
  ActiveRuns activeRunsForMetrics(RunService runs) {
    return new ActiveRuns(runs);
  }

  @Bean
  StateGauges stateGauges(
      ActiveRuns runs, WorkerRegistry workers, LockManager locks, LockChannel channel) {
    return new StateGauges(runs, workers, locks, channel);
  }

  /** Keeps a progress gauge for each pipeline with an active run, checking once a second. */
  @Bean
  Periodic runProgressGauges(ActiveRuns runs, MeterRegistry registry) {
    RunProgressGauges gauges = new RunProgressGauges(runs, registry);
    return new Periodic(
        "run-progress-gauges", Duration.ZERO, Duration.ofSeconds(1), gauges::refresh);
  }

  /** The workspace's disk in {@code /actuator/health}, as {@code workspace}. */
  @Bean
  WorkspaceDiskHealth workspaceHealthIndicator(WorkspaceProperties workspace) {
    return new WorkspaceDiskHealth(workspace);
  }

  @Bean
  LogMeters logMeters(MeterRegistry registry, SharedLog log) {
    return new LogMeters(registry, log);
  }

  @Bean
  LockMeters lockMeters(MeterRegistry registry, LockManager locks) {
    return new LockMeters(registry, locks);
  }
}
