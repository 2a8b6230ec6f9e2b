package org.pipewright.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.pipewright.pipeline.Resources;
import org.pipewright.worker.WorkerRepository;
import org.pipewright.worker.WorkerRow;
import org.pipewright.worker.WorkerState;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** Workers in the {@code worker} table. */
@Repository
class JdbcWorkerRepository implements WorkerRepository {

  private static final String COLUMNS =
      "id, launcher, launch_token_hash, session_token_hash, instance_id, host, pid, state,"
          + " launched_at, registered_at, lease_expires_at, ended_at, version, slurm_job_id, cpus,"
          + " memory_mb";

  private final JdbcClient jdbc;

  JdbcWorkerRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public long insert(WorkerRow w) {
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    jdbc.sql(
            "insert into worker (launcher, launch_token_hash, session_token_hash, instance_id,"
                + " host, pid, state, launched_at, registered_at, lease_expires_at, ended_at,"
                + " version, slurm_job_id, cpus, memory_mb) values (:launcher, :launch, :session,"
                + " :instance, :host, :pid, :state, :launched, :registered, :lease, :ended,"
                + " :version, :slurm, :cpus, :memory)")
        .param("launcher", w.launcher())
        .param("launch", w.launchTokenHash())
        .params(columns(w))
        .update(keys, "id");
    return keys.getKeyAs(Long.class);
  }

  private static java.util.Map<String, Object> columns(WorkerRow w) {
    java.util.Map<String, Object> values = new java.util.HashMap<>();
    values.put("session", w.sessionTokenHash());
    values.put("instance", w.instanceId());
    values.put("host", w.host());
    values.put("pid", w.pid());
    values.put("state", w.state().name());
    values.put("launched", Timestamps.writeNullable(w.launchedAt()));
    values.put("registered", Timestamps.writeNullable(w.registeredAt()));
    values.put("lease", Timestamps.writeNullable(w.leaseExpiresAt()));
    values.put("ended", Timestamps.writeNullable(w.endedAt()));
    values.put("version", w.version());
    values.put("slurm", w.slurmJobId());
    values.put("cpus", w.offered() == null ? null : w.offered().cpus());
    values.put("memory", w.offered() == null ? null : w.offered().memoryMb());
    return values;
  }

  @Override
  public boolean update(WorkerRow w, long expected) {
    return jdbc.sql(
                "update worker set session_token_hash = :session, instance_id = :instance,"
                    + " host = :host, pid = :pid, state = :state, registered_at = :registered,"
                    + " lease_expires_at = :lease, ended_at = :ended, version = :version,"
                    + " slurm_job_id = :slurm, cpus = :cpus, memory_mb = :memory"
                    + " where id = :id and version = :expected")
            .param("session", w.sessionTokenHash(), Types.VARCHAR)
            .param("instance", w.instanceId())
            .param("host", w.host(), Types.VARCHAR)
            .param("pid", w.pid(), Types.BIGINT)
            .param("state", w.state().name())
            .param(
                "registered",
                Timestamps.writeNullable(w.registeredAt()),
                Types.TIMESTAMP_WITH_TIMEZONE)
            .param(
                "lease",
                Timestamps.writeNullable(w.leaseExpiresAt()),
                Types.TIMESTAMP_WITH_TIMEZONE)
            .param("ended", Timestamps.writeNullable(w.endedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
            .param("version", w.version())
            .param("slurm", w.slurmJobId(), Types.VARCHAR)
            .param("cpus", w.offered() == null ? null : w.offered().cpus(), Types.INTEGER)
            .param("memory", w.offered() == null ? null : w.offered().memoryMb(), Types.BIGINT)
            .param("id", w.id())
            .param("expected", expected)
            .update()
        == 1;
  }

  @Override
  public Optional<WorkerRow> find(long id) {
    return jdbc.sql("select " + COLUMNS + " from worker where id = :id")
        .param("id", id)
        .query(JdbcWorkerRepository::row)
        .optional();
  }

  @Override
  public List<WorkerRow> findActive() {
    return jdbc.sql(
            "select " + COLUMNS + " from worker where state in ('LAUNCHED', 'ALIVE') order by id")
        .query(JdbcWorkerRepository::row)
        .list();
  }

  @Override
  public List<WorkerRow> list(int limit) {
    return jdbc.sql(
            "select " + COLUMNS + " from worker order by id desc fetch first :limit rows only")
        .param("limit", limit)
        .query(JdbcWorkerRepository::row)
        .list();
  }

  private static WorkerRow row(ResultSet rs, int n) throws SQLException {
    long pid = rs.getLong("pid");
    Long pidOrNull = rs.wasNull() ? null : pid;
    return new WorkerRow(
        rs.getLong("id"),
        rs.getString("launcher"),
        rs.getString("launch_token_hash"),
        rs.getString("session_token_hash"),
        rs.getString("instance_id"),
        rs.getString("host"),
        pidOrNull,
        WorkerState.valueOf(rs.getString("state")),
        Timestamps.read(rs, "launched_at"),
        Timestamps.readNullable(rs, "registered_at"),
        Timestamps.readNullable(rs, "lease_expires_at"),
        Timestamps.readNullable(rs, "ended_at"),
        rs.getLong("version"),
        rs.getString("slurm_job_id"),
        offered(rs));
  }

  private static @Nullable Resources offered(ResultSet rs) throws SQLException {
    int cpus = rs.getInt("cpus");
    if (rs.wasNull()) {
      return null;
    }
    return new Resources(cpus, rs.getLong("memory_mb"));
  }
}
