package org.pipewright.cluster;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
class ClusterConfiguration {

  @Bean
  Membership membership(MemberRepository members, ClusterProperties properties, Clock clock) {
    return new Membership(members, properties, clock, System::nanoTime);
  }
}
