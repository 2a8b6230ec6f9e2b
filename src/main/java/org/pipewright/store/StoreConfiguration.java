package org.pipewright.store;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the store adds to the connection pool Spring Boot makes. */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

  /**
   * An embedded H2 pool gets its way back from a file it could not write ({@link
   * H2ClosedDatabase}), set before the pool starts (its settings are sealed then).
   */
  @Bean
  static BeanPostProcessor h2ClosedDatabase() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String name) {
        if (bean instanceof HikariDataSource pool
            && pool.getJdbcUrl() != null
            && pool.getJdbcUrl().startsWith("jdbc:h2:")
            && pool.getExceptionOverride() == null
            && pool.getExceptionOverrideClassName() == null) {
          pool.setExceptionOverride(new H2ClosedDatabase(pool));
        }
        return bean;
      }
    };
  }
}
