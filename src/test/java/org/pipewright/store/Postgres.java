package org.pipewright.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real PostgreSQL server for the tests that run on the {@code postgres} profile: each caller gets
 * a database of its own, created empty, so Flyway migrates it from nothing as it would a new
 * installation. The server is the one {@code .ci/postgres} starts ({@code
 * jdbc:postgresql://127.0.0.1:5432/pipewright}, role {@code pipewright}), or the one {@code
 * PIPEWRIGHT_TEST_POSTGRES_URL}, {@code _USER} and {@code _PASSWORD} name. Without a server the
 * tests skip, except under {@code CI=true}, where {@code .ci/run} starts one and a skip would hide
 * every difference between the two databases.
 */
public final class Postgres {

  private static final Map<String, String> ENV = System.getenv();
  static final String URL =
      ENV.getOrDefault(
          "PIPEWRIGHT_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/pipewright");
  public static final String USER = ENV.getOrDefault("PIPEWRIGHT_TEST_POSTGRES_USER", "pipewright");
  public static final String PASSWORD =
      ENV.getOrDefault("PIPEWRIGHT_TEST_POSTGRES_PASSWORD", "pipewright");

  private Postgres() {}

  /**
   * Skips the calling test class when there is no server (fails under CI). Call it from a
   * {@code @BeforeAll}: that runs before Spring loads the application, where an abort would be
   * reported as a failure to start.
   */
  public static void requireServer() {
    try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
      connection.isValid(5);
    } catch (SQLException e) {
      String why = "no PostgreSQL server at " + URL + " as " + USER + ": " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(why + "; .ci/run starts one, so these tests must not be skipped");
      }
      Assumptions.abort(why + " (start one with .ci/postgres; under CI=true this fails)");
    }
  }

  /**
   * A new, empty database on the server, named after the caller. The databases an earlier test run
   * left for the same purpose are dropped first, so a developer's server does not fill up.
   */
  public static String freshDatabase(String purpose) {
    String prefix = "pw_" + purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_";
    String name = prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement statement = connection.createStatement()) {
      List<String> earlier = new ArrayList<>();
      try (ResultSet rows =
          statement.executeQuery(
              "select datname from pg_database where starts_with(datname, '" + prefix + "')")) {
        while (rows.next()) {
          earlier.add(rows.getString(1));
        }
      }
      for (String old : earlier) {
        statement.execute("drop database if exists " + old + " with (force)");
      }
      // Names are built above from [a-z0-9_] only.
      statement.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + " at " + URL, e);
    }
    return URL.substring(0, URL.lastIndexOf('/') + 1) + name;
  }

  /** Points the application under test at a fresh database on the {@code postgres} profile. */
  public static void register(DynamicPropertyRegistry registry, String purpose) {
    String url = freshDatabase(purpose);
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", () -> USER);
    registry.add("spring.datasource.password", () -> PASSWORD);
  }
}
