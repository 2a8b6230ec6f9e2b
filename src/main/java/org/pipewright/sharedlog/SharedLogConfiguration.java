package org.pipewright.sharedlog;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
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
      ObjectProvider<Fencing> fencing,
      SharedLogProperties properties) {
    LogTail tail = new LogTail(0);
    // Without the shared locks no grant is ever current, so an append under a lock is refused.
    Fencing check = fencing.getIfAvailable(() -> (name, token) -> false);
    LogAppender appender = new LogAppender(store, new SharedLogFile(properties), check, tail);
    return new SharedLog(appender, store, targets, tail, properties);
  }

  @Bean
  LogRetention logRetention(LogStore store, SharedLogProperties properties, Clock clock) {
    return new LogRetention(store, properties.retention(), clock);
  }
}
