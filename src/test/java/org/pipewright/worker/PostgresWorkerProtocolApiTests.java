package org.pipewright.worker;

import org.junit.jupiter.api.BeforeAll;
import org.pipewright.store.Postgres;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link WorkerProtocolApiTests} on the postgres profile against a real PostgreSQL server: the
 * worker protocol's calls and refusals. Closed after the class, so that its connections and workers
 * do not stay open beside the next one's.
 */
@ActiveProfiles("postgres")
@DirtiesContext
class PostgresWorkerProtocolApiTests extends WorkerProtocolApiTests {

  @BeforeAll
  static void server() {
    Postgres.requireServer();
  }

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    Postgres.register(registry, "WorkerProtocolApiTests");
  }
}
