package org.pipewright.sharedlog;

import org.junit.jupiter.api.BeforeAll;
import org.pipewright.store.Postgres;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link SharedLogApiTests} on the postgres profile against a real PostgreSQL server: the log API,
 * its paging and filters. Closed after the class, so that its connections and workers do not stay
 * open beside the next one's.
 */
@ActiveProfiles("postgres")
@DirtiesContext
class PostgresSharedLogApiTests extends SharedLogApiTests {

  @BeforeAll
  static void server() {
    Postgres.requireServer();
  }

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    Postgres.register(registry, "SharedLogApiTests");
  }
}
