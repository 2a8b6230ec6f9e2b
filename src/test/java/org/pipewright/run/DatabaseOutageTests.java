package org.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.store.Postgres;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The database turns read-only for a few seconds in the middle of a run, as a PostgreSQL server
 * does when it fails over to a standby: writes are answered with 503 and a problem the client can
 * act on, reads go on, and once it takes writes again the run finishes with every job's output
 * written once.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.count=2",
      "pipewright.workers.heartbeat=200ms",
      "pipewright.workers.lease=5s",
      "pipewright.workers.restart-backoff=100ms"
    })
@ActiveProfiles("postgres")
@DirtiesContext
class DatabaseOutageTests {

  @TempDir static Path workspace;
  @TempDir static Path workers;
  static String url;

  @BeforeAll
  static void server() {
    Postgres.requireServer();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    url = Postgres.freshDatabase("database_outage");
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", () -> Postgres.USER);
    registry.add("spring.datasource.password", () -> Postgres.PASSWORD);
    registry.add("pipewright.workspace.root", () -> workspace.toString());
    registry.add("pipewright.workers.directory", () -> workers.toString());
  }

  @LocalServerPort int port;

  /** Sets read-only for new sessions of the database, then ends the sessions already open. */
  static void readOnly(Statement admin, boolean on) throws Exception {
    String name = url.substring(url.lastIndexOf('/') + 1);
    admin.execute(
        "alter database "
            + name
            + (on
                ? " set default_transaction_read_only = on"
                : " reset default_transaction_read_only"));
    admin.execute(
        "select pg_terminate_backend(pid) from pg_stat_activity"
            + " where datname = current_database() and pid <> pg_backend_pid()");
  }

  @Test
  void aDatabaseThatTurnsReadOnlyGets503sAndNothingIsLostOnceItTakesWritesAgain() throws Exception {
    Api api = new Api(port);
    long id = Outage.runUnderWay(api);

    try (Connection connection =
            DriverManager.getConnection(url, Postgres.USER, Postgres.PASSWORD);
        Statement admin = connection.createStatement()) {
      readOnly(admin, true);
      try {
        Outage.writesRefused(api);
        // The first read may meet a pooled connection the server just ended: it is retried.
        JsonNode read =
            await()
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> api.get("/api/runs/" + id), r -> true);
        assertThat(read.get("state").asString()).as("reads go on").isEqualTo("RUNNING");
        Thread.sleep(2000);
      } finally {
        readOnly(admin, false);
      }
    }

    Outage.nothingLost(api, id, workspace);
  }
}
