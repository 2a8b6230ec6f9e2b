package org.pipewright.run;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.pipewright.store.Postgres;

/**
 * {@link ControlPlaneRestartIT} with the state in PostgreSQL: SIGKILL, restart, the run goes on.
 */
class PostgresControlPlaneRestartIT extends ControlPlaneRestartIT {

  private String url;

  @BeforeAll
  static void server() {
    Postgres.requireServer();
  }

  @Override
  List<String> database() {
    if (url == null) {
      url = Postgres.freshDatabase("control_plane_restart");
    }
    return List.of(
        "--spring.profiles.active=postgres",
        "--spring.datasource.url=" + url,
        "--spring.datasource.username=" + Postgres.USER,
        "--spring.datasource.password=" + Postgres.PASSWORD);
  }
}
