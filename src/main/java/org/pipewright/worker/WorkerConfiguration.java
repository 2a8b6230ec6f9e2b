package org.pipewright.worker;

import java.time.Clock;
import java.time.Duration;
import org.pipewright.WorkspaceProperties;
import org.pipewright.cluster.Membership;
import org.pipewright.lock.LockManager;
import org.pipewright.run.RunService;
import org.pipewright.run.Scheduler;
import org.pipewright.security.WorkerCredentials;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The registry, the launcher the properties name, and the pool's lifecycle. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
class WorkerConfiguration {

  @Bean
  WorkerRegistry workerRegistry(
      WorkerRepository repository,
      Scheduler scheduler,
      WorkerProperties properties,
      Clock clock,
      Membership membership) {
    Duration needed =
        Membership.minimumTakeover(properties.lease(), membership.properties().heartbeat());
    if (membership.properties().takeoverAfter().compareTo(needed) < 0) {
      // A peer must not retry a dead control plane's jobs before its workers have killed them.
      throw new IllegalStateException(
          "pipewright.cluster.takeover-after ("
              + membership.properties().takeoverAfter()
              + ") must be at least twice pipewright.workers.lease plus two heartbeats ("
              + needed
              + ")");
    }
    return new WorkerRegistry(repository, scheduler, properties, clock, membership.id());
  }

  @Bean
  LocalLauncher localLauncher(
      WorkerRegistry registry, WorkerProperties properties, WorkspaceProperties workspace) {
    return new LocalLauncher(registry, properties, workspace);
  }

  @Bean
  WorkerPoolHealth workerPoolHealthIndicator(
      WorkerRegistry registry,
      ObjectProvider<LocalLauncher> launcher,
      WorkerProperties properties) {
    return new WorkerPoolHealth(
        registry, properties.launcher().equals("local") ? launcher.getObject() : null);
  }

  @Bean
  Takeover takeover(
      WorkerRegistry registry,
      Scheduler scheduler,
      RunService runs,
      Membership membership,
      WorkerProperties properties,
      Environment environment) {
    return new Takeover(
        registry, scheduler, runs, membership, ControlPlaneAddress.of(environment, properties));
  }

  @Bean
  WorkerPool workerPool(
      WorkerRegistry registry,
      Scheduler scheduler,
      RunService runs,
      Takeover takeover,
      ObjectProvider<LocalLauncher> launcher,
      LockManager locks,
      WorkerProperties properties,
      Environment environment) {
    LocalLauncher local = properties.launcher().equals("local") ? launcher.getObject() : null;
    // A lost worker's jobs are retried elsewhere, and the shared locks they held must not wait for
    // their leases to run out. Registered after the launcher's listener, which stops the worker
    // and kills its jobs first: the next holder never overlaps with the last.
    registry.onLost(id -> locks.releaseHeldBy(WorkerCredentials.principal(id)));
    return new WorkerPool(registry, scheduler, runs, takeover, local, environment);
  }
}
