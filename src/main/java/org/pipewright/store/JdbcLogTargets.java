package org.pipewright.store;

import java.util.OptionalLong;
import org.pipewright.sharedlog.LogTargets;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Whether the runs and jobs a log record names exist, from the run tables. */
@Repository
class JdbcLogTargets implements LogTargets {

  private final JdbcClient jdbc;

  JdbcLogTargets(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean runExists(long runId) {
    return jdbc.sql("select count(*) from run where id = :id")
            .param("id", runId)
            .query(Long.class)
            .single()
        > 0;
  }

  @Override
  public OptionalLong runOfJob(long jobId) {
    return jdbc.sql("select run_id from job where id = :id")
        .param("id", jobId)
        .query(Long.class)
        .optional()
        .map(OptionalLong::of)
        .orElse(OptionalLong.empty());
  }
}
