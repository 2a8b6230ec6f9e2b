package org.pipewright.lock;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The lock manager, with this start's epoch, and the timer that ends unrenewed leases. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LockProperties.class)
class LockConfiguration {

  @Bean
  LockManager lockManager(LockEpochs epochs, Clock clock, LockProperties properties) {
    return new LockManager(epochs, clock, properties);
  }

  /** The lock channel's handler; closed with the service, which stops its timer. */
  @Bean
  LockChannel lockChannel(LockManager locks, LockProperties properties, JsonMapper json) {
    return new LockChannel(locks, properties, json);
  }

  @Bean
  ExpiryTimer lockExpiryTimer(LockManager manager, Clock clock) {
    return new ExpiryTimer(manager, clock);
  }
}
