package org.pipewright.lock;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The lock manager, with this start's epoch, and the timer that ends unrenewed leases. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LockProperties.class)
class LockConfiguration {

  @Bean
  LockManager lockManager(LockEpochs epochs, Clock clock, LockProperties properties) {
    return new LockManager(epochs, clock, properties);
  }

  @Bean
  ExpiryTimer lockExpiryTimer(LockManager manager, Clock clock) {
    return new ExpiryTimer(manager, clock);
  }
}
