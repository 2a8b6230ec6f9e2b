package org.pipewright.lock;

import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
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

  /**
   * The lock channel for this host's clients, when configured and free; closed with the service.
   */
  @Bean
  LocalLockChannel localLockChannel(
      LockChannel channel,
      LockProperties properties,
      ObjectProvider<LockSocketAdmission> admission,
      JsonMapper json) {
    Path path = properties.localSocket();
    LockSocketAdmission admits = admission.getIfAvailable();
    return new LocalLockChannel(
        path == null || admits == null ? null : LocalLockSocket.open(channel, admits, json, path));
  }

  @Bean
  ExpiryTimer lockExpiryTimer(LockManager manager, Clock clock) {
    return new ExpiryTimer(manager, clock);
  }
}
