package org.pipewright.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pipewright.sharedlog.LogLevel;
import org.pipewright.sharedlog.LogQuery;
import org.pipewright.sharedlog.LogRecord;
import org.pipewright.sharedlog.LogStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The shared log in the {@code log_record} table. */
@Repository
class JdbcLogStore implements LogStore {

  private static final String COLUMNS =
      "seq, logged_at, level, source, source_seq, run_id, job_id, stream, message";

  /**
   * Rows per insert statement, all in one transaction. One statement of many rows costs H2 one
   * command's set-up, where a JDBC batch costs one per row; 500 x 9 parameters stays far below
   * PostgreSQL's limit of 32,767.
   */
  private static final int ROWS_PER_INSERT = 500;

  /** The statement of a full chunk, made once: the one appender thread is the log's bottleneck. */
  private static final String FULL_INSERT = insertOf(ROWS_PER_INSERT);

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final TransactionTemplate transactions;

  JdbcLogStore(JdbcClient jdbc, JdbcTemplate template, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.template = template;
    this.transactions = new TransactionTemplate(transactions);
  }

  @Override
  public long lastSeq() {
    return jdbc.sql("select last_seq from log_counter where id = 1").query(Long.class).single();
  }

  @Override
  public long insert(List<LogRecord> records, long expectedLast) {
    if (records.isEmpty()) {
      return 0;
    }
    Long shift =
        transactions.execute(status -> {
          jdbc.sql("update log_counter set last_seq = last_seq + :n where id = 1")
              .param("n", records.size())
              .update();
          long last = lastSeq();
          long by = last - records.size() - expectedLast;
          List<LogRecord> numbered =
              by == 0 ? records : records.stream().map(r -> r.shifted(by)).toList();
          store(numbered);
          return by;
        });
    return shift == null ? 0 : shift;
  }

  private void store(List<LogRecord> records) {
    for (int from = 0; from < records.size(); from += ROWS_PER_INSERT) {
      List<LogRecord> rows =
          records.subList(from, Math.min(records.size(), from + ROWS_PER_INSERT));
      template.update(
          rows.size() == ROWS_PER_INSERT ? FULL_INSERT : insertOf(rows.size()),
          ps -> {
            for (int i = 0; i < rows.size(); i++) {
              bind(ps, i * 9, rows.get(i));
            }
          });
    }
  }

  private static String insertOf(int rows) {
    StringBuilder sql = new StringBuilder("insert into log_record (" + COLUMNS + ") values ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }
    return sql.toString();
  }

  private static void bind(PreparedStatement ps, int at, LogRecord r) throws SQLException {
    ps.setLong(at + 1, r.seq());
    ps.setObject(at + 2, Timestamps.write(r.time()));
    ps.setString(at + 3, r.level().name());
    ps.setString(at + 4, r.source());
    Columns.setNullableLong(ps, at + 5, r.sourceSeq());
    Columns.setNullableLong(ps, at + 6, r.runId());
    Columns.setNullableLong(ps, at + 7, r.jobId());
    ps.setString(at + 8, r.stream());
    ps.setString(at + 9, r.message());
  }

  @Override
  public Map<Long, Long> stored(String source, long fromSourceSeq, long toSourceSeq) {
    Map<Long, Long> stored = new HashMap<>();
    jdbc.sql(
            "select source_seq, seq from log_record where source = :source"
                + " and source_seq between :from and :to")
        .param("source", source)
        .param("from", fromSourceSeq)
        .param("to", toSourceSeq)
        .query(
            (RowCallbackHandler)
                rs -> {
                  stored.put(rs.getLong(1), rs.getLong(2));
                });
    return stored;
  }

  @Override
  public long highestSourceSeq(String source) {
    Long highest =
        jdbc.sql("select coalesce(max(source_seq), -1) from log_record where source = :source")
            .param("source", source)
            .query(Long.class)
            .single();
    return highest == null ? -1 : highest;
  }

  @Override
  public List<LogRecord> page(LogQuery query) {
    Map<String, Object> params = new HashMap<>();
    String sql = "select " + COLUMNS + " from log_record where " + where(query, params);
    params.put("limit", query.limit());
    return jdbc.sql(sql + " order by seq limit :limit")
        .params(params)
        .query(JdbcLogStore::record)
        .list();
  }

  @Override
  public List<LogRecord> latest(LogQuery query, long before) {
    Map<String, Object> params = new HashMap<>();
    String sql = "select " + COLUMNS + " from log_record where " + where(query, params);
    params.put("before", before);
    params.put("limit", query.limit());
    List<LogRecord> newestFirst =
        jdbc.sql(sql + " and seq < :before order by seq desc limit :limit")
            .params(params)
            .query(JdbcLogStore::record)
            .list();
    return newestFirst.reversed();
  }

  private static String where(LogQuery query, Map<String, Object> params) {
    StringBuilder sql = new StringBuilder("seq > :after");
    params.put("after", query.after());
    if (query.runId() != null) {
      sql.append(" and run_id = :run");
      params.put("run", query.runId());
    }
    if (query.jobId() != null) {
      sql.append(" and job_id = :job");
      params.put("job", query.jobId());
    }
    if (query.source() != null) {
      sql.append(" and source = :source");
      params.put("source", query.source());
    }
    if (query.minLevel() != null && query.minLevel() != LogLevel.DEBUG) {
      List<String> levels = new ArrayList<>();
      for (LogLevel level : LogLevel.values()) {
        if (level.compareTo(query.minLevel()) >= 0) {
          levels.add(level.name());
        }
      }
      sql.append(" and level in (:levels)");
      params.put("levels", levels);
    }
    if (query.text() != null && !query.text().isEmpty()) {
      sql.append(" and lower(message) like :text escape '!'");
      params.put("text", "%" + likeEscaped(query.text().toLowerCase(java.util.Locale.ROOT)) + "%");
    }
    return sql.toString();
  }

  private static String likeEscaped(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  private static LogRecord record(ResultSet rs, int row) throws SQLException {
    return new LogRecord(
        rs.getLong("seq"),
        Timestamps.read(rs, "logged_at"),
        LogLevel.valueOf(rs.getString("level")),
        rs.getString("source"),
        Columns.nullableLong(rs, "source_seq"),
        Columns.nullableLong(rs, "run_id"),
        Columns.nullableLong(rs, "job_id"),
        rs.getString("stream"),
        rs.getString("message"));
  }

  @Override
  public int deleteWrittenBefore(Instant cutoff, int max) {
    return jdbc.sql(
            // The newest record stays whatever its age: the next start numbers on from it, so a
            // reader's cursor never meets a number given twice.
            "delete from log_record where seq in (select seq from log_record"
                + " where logged_at < :cutoff and seq < (select max(seq) from log_record)"
                + " order by seq limit :max)")
        .param("cutoff", Timestamps.write(cutoff))
        .param("max", max)
        .update();
  }
}
