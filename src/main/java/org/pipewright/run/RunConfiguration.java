package org.pipewright.run;

import java.time.Clock;
import org.pipewright.WorkspaceProperties;
import org.pipewright.cluster.Membership;
import org.pipewright.pipeline.PipelineCatalog;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** The scheduler and the run service, with the package-private parts they are made of. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RunProperties.class)
class RunConfiguration {

  @Bean
  Scheduler scheduler(
      RunRepository runs,
      JobHistoryRepository history,
      PlatformTransactionManager transactions,
      WorkspaceProperties workspace,
      Clock clock,
      RunProperties properties,
      Membership membership) {
    return new Scheduler(
        new RunStore(runs, history, transactions, membership.id()),
        new CompletionRecorder(workspace.root(), clock),
        clock,
        properties);
  }

  @Bean
  RunService runService(
      PlanService plans,
      RunRepository runs,
      JobHistoryRepository history,
      Scheduler scheduler,
      PipelineCatalog catalog,
      PlatformTransactionManager transactions,
      Clock clock,
      WorkspaceProperties workspace,
      RunProperties properties,
      Membership membership) {
    return new RunService(
        plans,
        runs,
        scheduler,
        new RunBuilder(catalog, history),
        transactions,
        clock,
        workspace,
        properties.maxActiveRuns(),
        membership.id());
  }
}
