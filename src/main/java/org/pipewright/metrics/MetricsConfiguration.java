package org.pipewright.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.pipewright.WorkspaceProperties;
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
  StateGauges stateGauges(RunService runs, WorkerRegistry workers, LockManager locks) {
    return new StateGauges(runs, workers, locks);
  }

  @Bean
  ProgressRefresher progressRefresher(RunService runs, MeterRegistry registry) {
    return new ProgressRefresher(new RunProgressGauges(runs, registry));
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
