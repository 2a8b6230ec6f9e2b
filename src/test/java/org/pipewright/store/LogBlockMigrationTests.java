package org.pipewright.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.pipewright.sharedlog.LogLevel;
import org.pipewright.sharedlog.LogQuery;
import org.pipewright.sharedlog.LogRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * An installation whose shared log was a row per record, upgraded: every record it held reads back
 * the same from the blocks, on both databases.
 */
class LogBlockMigrationTests {

  private static final Instant T = Instant.parse("2026-11-28T10:15:30.123456Z");

  static final List<LogRecord> HELD =
      List.of(
          new LogRecord(1, T, LogLevel.DEBUG, "worker-1", 0L, 3L, 30L, "stdout", "plain"),
          new LogRecord(2, T.plusSeconds(1), LogLevel.INFO, "worker-1", 1L, 3L, 30L, "stderr", ""),
          new LogRecord(3, T, LogLevel.WARN, "tool", null, null, null, null, "two\nlines \\n \\"),
          new LogRecord(4, T, LogLevel.ERROR, "tool", 7L, null, null, null, "émoji 😀 50% x_y"));

  @Test
  void recordsOfTheRowPerRecordTableReadBackTheSameFromBlocksOnH2() {
    upgradeAndRead(new DriverManagerDataSource("jdbc:h2:mem:upgrade;DB_CLOSE_DELAY=-1", "sa", ""));
  }

  @Test
  void recordsOfTheRowPerRecordTableReadBackTheSameFromBlocksOnPostgres() {
    Postgres.requireServer();
    upgradeAndRead(
        new DriverManagerDataSource(
            Postgres.freshDatabase("LogBlockMigration"), Postgres.USER, Postgres.PASSWORD));
  }

  private static void upgradeAndRead(DataSource data) {
    Flyway.configure().dataSource(data).target("6").load().migrate();
    JdbcClient jdbc = JdbcClient.create(data);
    for (LogRecord r : HELD) {
      jdbc.sql(
              "insert into log_record (seq, logged_at, level, source, source_seq, run_id, job_id,"
                  + " stream, message) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(
              r.seq(),
              r.time().atOffset(ZoneOffset.UTC),
              r.level().name(),
              r.source(),
              r.sourceSeq(),
              r.runId(),
              r.jobId(),
              r.stream(),
              r.message())
          .update();
    }
    jdbc.sql("update log_counter set last_seq = 4 where id = 1").update();

    Flyway.configure().dataSource(data).load().migrate();
    JdbcLogStore store =
        new JdbcLogStore(jdbc, new JdbcTemplate(data), new DataSourceTransactionManager(data));

    assertThat(store.page(new LogQuery(0, null, null, null, null, null, 10)))
        .containsExactlyElementsOf(HELD);
    assertThat(store.page(new LogQuery(0, 3L, null, null, null, null, 10)))
        .containsExactlyElementsOf(HELD.subList(0, 2));
    assertThat(store.page(new LogQuery(0, null, null, null, LogLevel.WARN, "LINES", 10)))
        .containsExactly(HELD.get(2));
    assertThat(store.page(new LogQuery(0, null, null, null, null, "50% x_", 10)))
        .containsExactly(HELD.get(3));
    assertThat(store.highestSourceSeq("tool")).isEqualTo(7);
    assertThat(store.lastSeq()).isEqualTo(4);
  }
}
