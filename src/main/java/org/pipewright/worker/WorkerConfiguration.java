package org.pipewright.worker;

import java.time.Clock;
import org.pipewright.WorkspaceProperties;
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
      LockManager locks,
      WorkerProperties properties,
      Clock clock) {
    WorkerRegistry registry = new WorkerRegistry(repository, scheduler, properties, clock);
    // A lost worker's jobs are retried elsewhere; the shared locks they held must not wait for
    // their leases to run out.
    registry.onLost(id -> locks.releaseHeldBy(WorkerCredentials.principal(id)));
    return registry;
  }

  @Bean
  LocalLauncher localLauncher(
      WorkerRegistry registry, WorkerProperties properties, WorkspaceProperties workspace) {
    return new LocalLauncher(registry, properties, workspace);
  }

  @Bean
  WorkerPool workerPool(
      WorkerRegistry registry,
      Scheduler scheduler,
      RunService runs,
      ObjectProvider<LocalLauncher> launcher,
      WorkerProperties properties,
      Environment environment) {
    return new WorkerPool(
        registry,
        scheduler,
        runs,
        properties.launcher().equals("local") ? launcher.getObject() : null,
        environment);
  }
}
