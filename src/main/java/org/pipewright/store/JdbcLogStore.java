package org.pipewright.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.pipewright.sharedlog.LogQuery;
import org.pipewright.sharedlog.LogRecord;
import org.pipewright.sharedlog.LogStore;
import org.pipewright.sharedlog.StoredMeanwhileException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The shared log in the {@code log_block} table, records in blocks ({@link LogBlocks}). A block is
 * chosen by its columns and read whole; the records in it are then filtered one by one.
 */
@Repository
class JdbcLogStore implements LogStore {

  private static final String COLUMNS = "first_seq, last_seq, source, run_id, job_id, body";

  private static final String INSERT =
      "insert into log_block (first_seq, last_seq, oldest_at, newest_at, max_level, source,"
          + " min_source_seq, max_source_seq, run_id, job_id, body)"
          + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** Blocks read by the first query of a page; each further query reads twice as many. */
  private static final int FIRST_READ = 4;

  /** Bounds what one query holds: blocks are up to 500 records, and a prefilter may pass many. */
  private static final int MAX_READ = 32;

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
          if (by != 0) {
            refuseStoredMeanwhile(numbered, expectedLast, last - records.size());
          }
          List<LogBlocks.Block> blocks = LogBlocks.of(numbered);
          template.batchUpdate(INSERT, blocks, blocks.size(), JdbcLogStore::bind);
          return by;
        });
    return shift == null ? 0 : shift;
  }

  private static void bind(PreparedStatement ps, LogBlocks.Block block) throws SQLException {
    ps.setLong(1, block.firstSeq());
    ps.setLong(2, block.lastSeq());
    ps.setObject(3, Timestamps.write(block.oldest()));
    ps.setObject(4, Timestamps.write(block.newest()));
    ps.setInt(5, block.maxLevel());
    ps.setString(6, block.source());
    Columns.setNullableLong(ps, 7, block.minSourceSeq());
    Columns.setNullableLong(ps, 8, block.maxSourceSeq());
    Columns.setNullableLong(ps, 9, block.runId());
    Columns.setNullableLong(ps, 10, block.jobId());
    ps.setString(11, block.body());
  }

  /**
   * Another control plane appended records numbered after {@code from} up to {@code to} since this
   * one last did: none of them may be one of ours sent to it as well, or the log would hold it
   * twice. Asked only then, so one control plane alone never pays for it.
   */
  private void refuseStoredMeanwhile(List<LogRecord> ours, long from, long to) {
    Map<String, Set<Long>> numbers = new HashMap<>();
    for (LogRecord record : ours) {
      if (record.sourceSeq() != null) {
        numbers.computeIfAbsent(record.source(), s -> new HashSet<>()).add(record.sourceSeq());
      }
    }
    if (numbers.isEmpty()) {
      return;
    }
    Set<String> repeated = new HashSet<>();
    for (Block block :
        jdbc.sql(
                "select "
                    + COLUMNS
                    + " from log_block where first_seq > :low and first_seq <= :to"
                    + " and last_seq > :from and source in (:sources)")
            .param("low", from - LogBlocks.MAX_SPAN)
            .param("from", from)
            .param("to", to)
            .param("sources", numbers.keySet())
            .query(JdbcLogStore::block)
            .list()) {
      for (LogRecord theirs : block.records()) {
        if (theirs.seq() > from
            && theirs.sourceSeq() != null
            && numbers.get(theirs.source()).contains(theirs.sourceSeq())) {
          repeated.add(theirs.source());
        }
      }
    }
    if (!repeated.isEmpty()) {
      throw new StoredMeanwhileException(repeated);
    }
  }

  @Override
  public Map<Long, Long> stored(String source, long fromSourceSeq, long toSourceSeq) {
    Map<Long, Long> stored = new HashMap<>();
    for (Block block :
        jdbc.sql(
                "select "
                    + COLUMNS
                    + " from log_block where source = :source and max_source_seq >= :from"
                    + " and min_source_seq <= :to")
            .param("source", source)
            .param("from", fromSourceSeq)
            .param("to", toSourceSeq)
            .query(JdbcLogStore::block)
            .list()) {
      for (LogRecord record : block.records()) {
        Long number = record.sourceSeq();
        if (number != null && number >= fromSourceSeq && number <= toSourceSeq) {
          stored.put(number, record.seq());
        }
      }
    }
    return stored;
  }

  @Override
  public Map<String, Long> highestBetween(long after, long upTo) {
    Map<String, Long> highest = new HashMap<>();
    jdbc.sql(
            // Blocks never straddle two appends, so the gap's blocks start and end inside it.
            "select source, max(max_source_seq) from log_block where first_seq > :after"
                + " and first_seq <= :upTo and max_source_seq is not null group by source")
        .param("after", after)
        .param("upTo", upTo)
        .query(
            (RowCallbackHandler)
                rs -> {
                  highest.put(rs.getString(1), rs.getLong(2));
                });
    return highest;
  }

  @Override
  public long highestSourceSeq(String source) {
    Long highest =
        jdbc.sql("select coalesce(max(max_source_seq), -1) from log_block where source = :source")
            .param("source", source)
            .query(Long.class)
            .single();
    return highest == null ? -1 : highest;
  }

  @Override
  public List<LogRecord> page(LogQuery query) {
    List<LogRecord> page = new ArrayList<>();
    Filter filter = new Filter(query);
    long after = query.after();
    for (int read = FIRST_READ; ; read = Math.min(MAX_READ, read * 2)) {
      Map<String, Object> params = new HashMap<>();
      params.put("low", after - LogBlocks.MAX_SPAN);
      params.put("after", after);
      List<Block> blocks =
          blocks("first_seq > :low and last_seq > :after", params, filter, "first_seq", read);
      for (Block block : blocks) {
        for (LogRecord record : block.records()) {
          if (record.seq() > query.after() && filter.matches(record)) {
            page.add(record);
            if (page.size() == query.limit()) {
              return page;
            }
          }
        }
        after = block.lastSeq();
      }
      if (blocks.size() < read) {
        return page;
      }
    }
  }

  @Override
  public List<LogRecord> latest(LogQuery query, long before) {
    List<LogRecord> newestFirst = new ArrayList<>();
    Filter filter = new Filter(query);
    long below = before;
    for (int read = FIRST_READ; ; read = Math.min(MAX_READ, read * 2)) {
      Map<String, Object> params = new HashMap<>();
      params.put("before", below);
      params.put("after", query.after());
      List<Block> blocks =
          blocks(
              "first_seq < :before and last_seq > :after", params, filter, "first_seq desc", read);
      for (Block block : blocks) {
        List<LogRecord> records = block.records();
        for (LogRecord record : records.reversed()) {
          if (record.seq() < before && record.seq() > query.after() && filter.matches(record)) {
            newestFirst.add(record);
            if (newestFirst.size() == query.limit()) {
              return newestFirst.reversed();
            }
          }
        }
        below = block.firstSeq();
      }
      if (blocks.size() < read) {
        return newestFirst.reversed();
      }
    }
  }

  /** Blocks in a range of numbers that may hold records a query wants, in an order. */
  private List<Block> blocks(
      String range, Map<String, Object> params, Filter filter, String order, int limit) {
    String sql =
        "select "
            + COLUMNS
            + " from log_block where "
            + range
            + filter.where(params)
            + " order by "
            + order
            + " limit :limit";
    params.put("limit", limit);
    return jdbc.sql(sql).params(params).query(JdbcLogStore::block).list();
  }

  @Override
  public int deleteWrittenBefore(Instant cutoff, int max) {
    Integer deleted =
        transactions.execute(status -> {
          int removed = 0;
          for (Aged aged :
              jdbc.sql(
                      "select "
                          + COLUMNS
                          + ", oldest_at from log_block where oldest_at < :cutoff order by oldest_at"
                          + " limit :max")
                  .param("cutoff", Timestamps.write(cutoff))
                  .param("max", max)
                  .query((rs, row) -> new Aged(block(rs, row), rs.getObject("oldest_at")))
                  .list()) {
            Block block = aged.block();
            int gone =
                jdbc.sql("delete from log_block where first_seq = :first and oldest_at = :oldest")
                    .param("first", block.firstSeq())
                    .param("oldest", aged.oldest())
                    .update();
            if (gone == 0) {
              // Another control plane's retention took this block first and stored its rest, which
              // is younger: that rest is not this block any more, whatever its first number.
              continue;
            }
            List<LogRecord> records = block.records();
            List<LogRecord> kept =
                records.stream().filter(r -> !r.time().isBefore(cutoff)).toList();
            removed += records.size() - kept.size();
            // What is left of a block is stored as a block again, numbered from its first record.
            List<LogBlocks.Block> rest = LogBlocks.of(kept);
            template.batchUpdate(INSERT, rest, rest.size(), JdbcLogStore::bind);
          }
          return removed;
        });
    return deleted == null ? 0 : deleted;
  }

  private static Block block(ResultSet rs, int row) throws SQLException {
    return new Block(
        rs.getLong("first_seq"),
        rs.getLong("last_seq"),
        rs.getString("source"),
        Columns.nullableLong(rs, "run_id"),
        Columns.nullableLong(rs, "job_id"),
        rs.getString("body"));
  }

  /** A block with its oldest time as the row holds it, which a rewrite of the block changes. */
  private record Aged(Block block, Object oldest) {}

  /** A block as read: its records are decoded when asked for. */
  private record Block(
      long firstSeq,
      long lastSeq,
      String source,
      @Nullable Long runId,
      @Nullable Long jobId,
      String body) {

    List<LogRecord> records() {
      return LogBlocks.read(firstSeq, source, runId, jobId, body);
    }
  }

  /**
   * A query's filters: what the columns of a block can tell in SQL, and what only its records can.
   * A block's run, job and writer are its records'; its level is their highest, and its body holds
   * every message's text, so a block the SQL passes may still hold records the query does not want.
   */
  private static final class Filter {
    private final LogQuery query;
    private final @Nullable String text;

    Filter(LogQuery query) {
      this.query = query;
      this.text =
          query.text() == null || query.text().isEmpty()
              ? null
              : query.text().toLowerCase(Locale.ROOT);
    }

    String where(Map<String, Object> params) {
      StringBuilder sql = new StringBuilder();
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
      if (query.minLevel() != null && query.minLevel().ordinal() > 0) {
        sql.append(" and max_level >= :level");
        params.put("level", query.minLevel().ordinal());
      }
      String prefilter = text == null ? null : prefilter(text);
      if (prefilter != null) {
        sql.append(" and lower(body) like :text escape '!'");
        params.put("text", "%" + likeEscaped(prefilter) + "%");
      }
      return sql.toString();
    }

    boolean matches(LogRecord record) {
      return (query.minLevel() == null || record.level().compareTo(query.minLevel()) >= 0)
          && (text == null || record.message().toLowerCase(Locale.ROOT).contains(text));
    }

    /**
     * The longest part of a lowercased search that the database's {@code lower} finds wherever
     * Java's does: ASCII letters, digits and punctuation, but for {@code i} and {@code k}, which
     * some lowercase mappings reach from other letters (Turkish {@code İ} and {@code I}, the Kelvin
     * sign), and for {@code \}, which the body escapes. Null when no part is long enough to be
     * worth it: then every block is read and the records alone decide.
     */
    private static @Nullable String prefilter(String lowered) {
      String best = "";
      int from = 0;
      for (int i = 0; i <= lowered.length(); i++) {
        char c = i < lowered.length() ? lowered.charAt(i) : '\0';
        boolean safe = c >= ' ' && c < 0x7f && c != 'i' && c != 'k' && c != '\\';
        if (!safe) {
          if (i - from > best.length()) {
            best = lowered.substring(from, i);
          }
          from = i + 1;
        }
      }
      return best.length() >= 2 ? best : null;
    }

    private static String likeEscaped(String text) {
      return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
  }
}
