package org.pipewright.store;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link JdbcLogStoreTests} against a real PostgreSQL server, migrated by Flyway from nothing. */
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ActiveProfiles("postgres")
@DirtiesContext
class PostgresJdbcLogStoreTests extends JdbcLogStoreTests {

  @BeforeAll
  static void server() {
    Postgres.requireServer();
  }

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    Postgres.register(registry, "JdbcLogStore");
  }
}
