package org.pipewright.store;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pipewright.plan.JobHistory;
import org.pipewright.plan.JobHistory.OutputRecord;
import org.pipewright.run.JobHistoryRepository;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The job history in the {@code output_record} table. */
@Repository
class JdbcJobHistory implements JobHistoryRepository {

  private static final int FORGET_BATCH = 500;

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final Clock clock;

  JdbcJobHistory(JdbcClient jdbc, JdbcTemplate template, Clock clock) {
    this.jdbc = jdbc;
    this.template = template;
    this.clock = clock;
  }

  @Override
  public JobHistory forPipeline(String pipeline) {
    // One query per plan: the planner looks up every output of every job.
    Map<String, OutputRecord> records = new HashMap<>();
    jdbc.sql(
            "select path, action_digest, params_digest, modified_nanos from output_record"
                + " where pipeline_name = :pipeline")
        .param("pipeline", pipeline)
        .query(rs -> {
          records.put(
              rs.getString("path"),
              new OutputRecord(
                  rs.getString("action_digest"),
                  rs.getString("params_digest"),
                  rs.getLong("modified_nanos")));
        });
    if (records.isEmpty()) {
      return JobHistory.EMPTY;
    }
    Map<String, OutputRecord> snapshot = Map.copyOf(records);
    return path -> Optional.ofNullable(snapshot.get(path));
  }

  @Override
  public void record(String pipeline, String path, OutputRecord record) {
    // Update, else insert: portable where MERGE and ON CONFLICT are not. A concurrent insert of
    // the same output makes ours a duplicate; the update that follows then wins, as the later one.
    for (int attempt = 0; ; attempt++) {
      if (update(pipeline, path, record) > 0) {
        return;
      }
      try {
        jdbc.sql(
                "insert into output_record (pipeline_name, path, action_digest, params_digest,"
                    + " modified_nanos, completed_at)"
                    + " values (:pipeline, :path, :action, :params, :modified, :at)")
            .param("pipeline", pipeline)
            .param("path", path)
            .param("action", record.actionDigest())
            .param("params", record.paramsDigest())
            .param("modified", record.modifiedNanos())
            .param("at", Timestamps.write(clock.instant()))
            .update();
        return;
      } catch (DuplicateKeyException e) {
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  @Override
  public void recordAll(String pipeline, Map<String, OutputRecord> records) {
    // The scheduler's path: one batch of updates, then one batch of inserts for what was new.
    List<Map.Entry<String, OutputRecord>> entries = List.copyOf(records.entrySet());
    OffsetDateTime at = Timestamps.write(clock.instant());
    int[][] counts =
        template.batchUpdate(
            "update output_record set action_digest = ?, params_digest = ?, modified_nanos = ?,"
                + " completed_at = ? where pipeline_name = ? and path = ?",
            entries,
            1000,
            (ps, e) -> {
              ps.setString(1, e.getValue().actionDigest());
              ps.setString(2, e.getValue().paramsDigest());
              ps.setLong(3, e.getValue().modifiedNanos());
              ps.setObject(4, at);
              ps.setString(5, pipeline);
              ps.setString(6, e.getKey());
            });
    List<Map.Entry<String, OutputRecord>> missing = new ArrayList<>();
    int i = 0;
    for (int[] batch : counts) {
      for (int count : batch) {
        if (count == 0) {
          missing.add(entries.get(i));
        }
        i++;
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    template.batchUpdate(
        "insert into output_record (pipeline_name, path, action_digest, params_digest,"
            + " modified_nanos, completed_at) values (?, ?, ?, ?, ?, ?)",
        missing,
        1000,
        (ps, e) -> {
          ps.setString(1, pipeline);
          ps.setString(2, e.getKey());
          ps.setString(3, e.getValue().actionDigest());
          ps.setString(4, e.getValue().paramsDigest());
          ps.setLong(5, e.getValue().modifiedNanos());
          ps.setObject(6, at);
        });
  }

  private int update(String pipeline, String path, OutputRecord record) {
    return jdbc.sql(
            "update output_record set action_digest = :action, params_digest = :params,"
                + " modified_nanos = :modified, completed_at = :at"
                + " where pipeline_name = :pipeline and path = :path")
        .param("action", record.actionDigest())
        .param("params", record.paramsDigest())
        .param("modified", record.modifiedNanos())
        .param("at", Timestamps.write(clock.instant()))
        .param("pipeline", pipeline)
        .param("path", path)
        .update();
  }

  @Override
  public void forget(String pipeline, Collection<String> paths) {
    // In batches: a split job may have thousands of outputs, more than a statement may bind.
    List<String> all = List.copyOf(paths);
    for (int from = 0; from < all.size(); from += FORGET_BATCH) {
      jdbc.sql("delete from output_record where pipeline_name = :pipeline and path in (:paths)")
          .param("pipeline", pipeline)
          .param("paths", all.subList(from, Math.min(all.size(), from + FORGET_BATCH)))
          .update();
    }
  }
}
