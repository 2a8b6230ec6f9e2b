package org.pipewright.worker;

import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.pipewright.WorkspaceProperties;
import org.pipewright.cluster.Membership;
import org.pipewright.lock.LocalLockChannel;
import org.pipewright.lock.LockManager;
import org.pipewright.run.RunService;
import org.pipewright.run.Scheduler;
import org.pipewright.security.WorkerCredentials;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The registry, the launcher the properties name, and the pool's lifecycle. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({WorkerProperties.class, SlurmProperties.class})
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
      WorkerRegistry registry,
      WorkerProperties properties,
      WorkspaceProperties workspace,
      LocalLockChannel locks) {
    return new LocalLauncher(registry, properties, workspace, locks);
  }

  @Bean
  @ConditionalOnProperty(name = "pipewright.workers.launcher", havingValue = "slurm")
  SlurmLauncher slurmLauncher(
      WorkerRegistry registry,
      WorkerProperties workers,
      SlurmProperties slurm,
      WorkspaceProperties workspace,
      Clock clock) {
    return new SlurmLauncher(
        registry,
        workers,
        slurm,
        workspace,
        new Slurm(System.getenv(), Duration.ofSeconds(30)),
        clock);
  }

  /** The launcher {@code pipewright.workers.launcher} names; none for {@code none}. */
  private static @Nullable Launcher chosen(
      WorkerProperties properties,
      ObjectProvider<LocalLauncher> local,
      ObjectProvider<SlurmLauncher> slurm) {
    return switch (properties.launcher()) {
      case "local" -> local.getObject();
      case "slurm" -> slurm.getObject();
      case "none" -> null;
      default ->
          throw new IllegalStateException(
              "pipewright.workers.launcher must be local, slurm or none, not "
                  + properties.launcher());
    };
  }

  @Bean
  WorkerPoolHealth workerPoolHealthIndicator(
      WorkerRegistry registry,
      ObjectProvider<LocalLauncher> local,
      ObjectProvider<SlurmLauncher> slurm,
      WorkerProperties properties) {
    return new WorkerPoolHealth(registry, chosen(properties, local, slurm));
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
      ObjectProvider<LocalLauncher> local,
      ObjectProvider<SlurmLauncher> slurm,
      LockManager locks,
      WorkerProperties properties,
      Environment environment) {
    Launcher launcher = chosen(properties, local, slurm);
    // A lost worker's jobs are retried elsewhere, and the shared locks they held must not wait for
    // their leases to run out. Registered after the launcher's listener, which stops the worker
    // and kills its jobs first: the next holder never overlaps with the last.
    registry.onLost(id -> locks.releaseHeldBy(WorkerCredentials.principal(id)));
    return new WorkerPool(registry, scheduler, runs, takeover, launcher, environment);
  }

  @Bean
  PoolSize poolSize(
      ObjectProvider<LocalLauncher> local,
      ObjectProvider<SlurmLauncher> slurm,
      WorkerProperties properties) {
    return new PoolSize(chosen(properties, local, slurm), properties);
  }
}
