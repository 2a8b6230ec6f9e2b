package org.pipewright.sharedlog;

import java.time.Clock;
import java.time.Duration;
import org.pipewright.Periodic;
import org.pipewright.lock.LockManager;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The shared-log bean and what it is made of. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SharedLogProperties.class)
class SharedLogConfiguration {

  @Bean(destroyMethod = "close")
  SharedLog sharedLog(
      LogStore store,
      LogTargets targets,
      LockManager locks,
      SharedLogProperties properties,
      Clock clock) {
    LogTail tail = new LogTail(0);
    LogAppender appender =
        new LogAppender(store, new SharedLogFile(properties), locks::isCurrent, tail);
    return new SharedLog(
        appender,
        store,
        targets,
        tail,
        properties,
        new JobLogBudget(properties.maxJobCharsPerMinute(), clock));
  }

  @Bean
  LogRetention logRetention(LogStore store, SharedLogProperties properties, Clock clock) {
    return new LogRetention(store, properties.retention(), clock);
  }

  /** Retention runs a second after the start, then hourly. */
  @Bean
  Periodic logRetentionTimer(LogRetention retention) {
    return new Periodic(
        "shared-log-retention", Duration.ofSeconds(1), Duration.ofHours(1), retention::purge);
  }
}
