package org.pipewright.run;

import org.junit.jupiter.api.BeforeAll;
import org.pipewright.store.Postgres;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link RunEndToEndTests} on the postgres profile against a real PostgreSQL server: the whole
 * end-to-end suite of the worker pool, on two real worker JVMs. Closed after the class, so that its
 * connections and workers do not stay open beside the next one's.
 */
@ActiveProfiles("postgres")
@DirtiesContext
class PostgresRunEndToEndTests extends RunEndToEndTests {

  @BeforeAll
  static void server() {
    Postgres.requireServer();
  }

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    Postgres.register(registry, "RunEndToEndTests");
  }
}
