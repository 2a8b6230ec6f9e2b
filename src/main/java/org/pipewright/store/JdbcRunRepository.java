package org.pipewright.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.pipewright.run.AttemptOutcome;
import org.pipewright.run.AttemptRow;
import org.pipewright.run.ConcurrentUpdateException;
import org.pipewright.run.JobRow;
import org.pipewright.run.JobSpec;
import org.pipewright.run.JobState;
import org.pipewright.run.RunRepository;
import org.pipewright.run.RunRequest;
import org.pipewright.run.RunRow;
import org.pipewright.run.RunState;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs, jobs and attempts in the {@code run}, {@code job} and {@code job_attempt} tables. Scheduler
 * steps write many jobs at once, so job writes are JDBC batches.
 */
@Repository
class JdbcRunRepository implements RunRepository {

  private static final String RUN_COLUMNS =
      "id, pipeline_name, pipeline_version, state, request_json, deferred_json, created_at,"
          + " started_at, finished_at, error, version";

  private static final String JOB_COLUMNS =
      "id, run_id, seq, job_key, task, state, spec_json, attempt, lost, worker_id, token_hash,"
          + " queued_at, leased_at, started_at, finished_at, exit_code, error, version";

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, EnumMap<JobState, Integer>>> COUNTS =
      new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final JsonMapper json;

  JdbcRunRepository(JdbcClient jdbc, JdbcTemplate template, JsonMapper json) {
    this.jdbc = jdbc;
    this.template = template;
    this.json = json;
  }

  @Override
  public long insertRun(RunRow run, String owner) {
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    jdbc.sql(
            "insert into run (pipeline_name, pipeline_version, state, request_json, deferred_json,"
                + " created_at, started_at, finished_at, error, version, owner)"
                + " values (:pipeline, :pv, :state, :request, :deferred, :created, :started,"
                + " :finished, :error, :version, :owner)")
        .param("owner", owner)
        .param("pipeline", run.pipeline())
        .param("pv", run.pipelineVersion())
        .param("state", run.state().name())
        .param("request", json.writeValueAsString(run.request()))
        .param("deferred", json.writeValueAsString(run.deferredTasks()))
        .param("created", Timestamps.writeNullable(run.createdAt()))
        .param("started", Timestamps.writeNullable(run.startedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
        .param(
            "finished", Timestamps.writeNullable(run.finishedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
        .param("error", run.error(), Types.VARCHAR)
        .param("version", run.version())
        .update(keys, "id");
    return keys.getKeyAs(Long.class);
  }

  @Override
  public void insertJobs(List<JobRow> jobs) {
    template.batchUpdate(
        "insert into job (run_id, seq, job_key, task, state, spec_json, attempt, lost, worker_id,"
            + " token_hash, queued_at, leased_at, started_at, finished_at, exit_code, error,"
            + " version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        jobs,
        1000,
        (ps, job) -> {
          ps.setLong(1, job.runId());
          ps.setInt(2, job.seq());
          ps.setString(3, job.key());
          ps.setString(4, job.task());
          ps.setString(5, job.state().name());
          ps.setString(6, json.writeValueAsString(job.spec()));
          setJobColumns(ps, 7, job);
        });
  }

  /** Sets attempt .. version from {@code first} on, the columns every job write has. */
  private static void setJobColumns(java.sql.PreparedStatement ps, int first, JobRow job)
      throws SQLException {
    ps.setInt(first, job.attempt());
    ps.setInt(first + 1, job.lost());
    ps.setObject(first + 2, job.workerId(), Types.BIGINT);
    ps.setString(first + 3, job.tokenHash());
    ps.setObject(
        first + 4, Timestamps.writeNullable(job.queuedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
    ps.setObject(
        first + 5, Timestamps.writeNullable(job.leasedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
    ps.setObject(
        first + 6, Timestamps.writeNullable(job.startedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
    ps.setObject(
        first + 7, Timestamps.writeNullable(job.finishedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
    ps.setObject(first + 8, job.exitCode(), Types.INTEGER);
    ps.setString(first + 9, truncate(job.error()));
    ps.setLong(first + 10, job.version());
  }

  @Override
  public void updateJobs(List<JobRow> jobs, long[] expected) {
    int[][] counts =
        template.batchUpdate(
            "update job set state = ?, attempt = ?, lost = ?, worker_id = ?, token_hash = ?,"
                + " queued_at = ?, leased_at = ?, started_at = ?, finished_at = ?, exit_code = ?,"
                + " error = ?, version = ? where id = ? and version = ?",
            indexed(jobs),
            1000,
            (ps, indexed) -> {
              JobRow job = indexed.row();
              ps.setString(1, job.state().name());
              setJobColumns(ps, 2, job);
              ps.setLong(13, job.id());
              ps.setLong(14, expected[indexed.index()]);
            });
    for (int[] batch : counts) {
      for (int count : batch) {
        // SUCCESS_NO_INFO (-2) is a driver that does not count; only 0 means we lost a race.
        if (count == 0) {
          throw new ConcurrentUpdateException("a job was changed by another writer");
        }
      }
    }
  }

  private record Indexed(int index, JobRow row) {}

  private static List<Indexed> indexed(List<JobRow> jobs) {
    List<Indexed> out = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      out.add(new Indexed(i, jobs.get(i)));
    }
    return out;
  }

  @Override
  public void updateRun(RunRow run, long expected) {
    int count =
        jdbc.sql(
                "update run set state = :state, deferred_json = :deferred, started_at = :started,"
                    + " finished_at = :finished, error = :error, version = :version"
                    + " where id = :id and version = :expected")
            .param("state", run.state().name())
            .param("deferred", json.writeValueAsString(run.deferredTasks()))
            .param(
                "started", Timestamps.writeNullable(run.startedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
            .param(
                "finished",
                Timestamps.writeNullable(run.finishedAt()),
                Types.TIMESTAMP_WITH_TIMEZONE)
            .param("error", truncate(run.error()), Types.VARCHAR)
            .param("version", run.version())
            .param("id", run.id())
            .param("expected", expected)
            .update();
    if (count == 0) {
      throw new ConcurrentUpdateException("run " + run.id() + " was changed by another writer");
    }
  }

  @Override
  public void insertAttempts(Collection<AttemptRow> attempts) {
    template.batchUpdate(
        "insert into job_attempt (job_id, attempt, worker_id, state, leased_at, started_at,"
            + " finished_at, exit_code, error) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        List.copyOf(attempts),
        1000,
        (ps, a) -> {
          ps.setLong(1, a.jobId());
          ps.setInt(2, a.attempt());
          ps.setObject(3, a.workerId(), Types.BIGINT);
          ps.setString(4, a.outcome().name());
          ps.setObject(5, Timestamps.writeNullable(a.leasedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
          ps.setObject(6, Timestamps.writeNullable(a.startedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
          ps.setObject(7, Timestamps.writeNullable(a.finishedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
          ps.setObject(8, a.exitCode(), Types.INTEGER);
          ps.setString(9, truncate(a.error()));
        });
  }

  @Override
  public void cancelWaiting(long runId, String why) {
    jdbc.sql(
            "update job set state = 'CANCELLED', error = :why, version = version + 1"
                + " where run_id = :run and state in ('PENDING', 'QUEUED')")
        .param("why", truncate(why))
        .param("run", runId)
        .update();
    // The counts stored as the run ended do not have these jobs; they are counted from now on.
    jdbc.sql("update run set counts_json = null where id = :run").param("run", runId).update();
  }

  @Override
  public Optional<RunRow> findRun(long id) {
    return jdbc.sql("select " + RUN_COLUMNS + " from run where id = :id")
        .param("id", id)
        .query(this::run)
        .optional();
  }

  @Override
  public List<RunRow> listRuns(
      @Nullable String pipeline, @Nullable RunState state, int offset, int limit) {
    return jdbc.sql(
            "select "
                + RUN_COLUMNS
                + " from run"
                + " where (cast(:pipeline as varchar(200)) is null or pipeline_name = :pipeline)"
                + " and (cast(:state as varchar(16)) is null or state = :state)"
                + " order by id desc offset :offset rows fetch next :limit rows only")
        .param("pipeline", pipeline, Types.VARCHAR)
        .param("state", state == null ? null : state.name(), Types.VARCHAR)
        .param("offset", offset)
        .param("limit", limit)
        .query(this::run)
        .list();
  }

  @Override
  public boolean lockPipelineAndFindUnfinished(String pipeline) {
    // A no-op update takes the pipeline row's lock on H2 and PostgreSQL alike.
    jdbc.sql("update pipeline set version = version where name = :name")
        .param("name", pipeline)
        .update();
    return jdbc.sql(
                "select count(*) from run where pipeline_name = :name"
                    + " and state in ('QUEUED', 'RUNNING')")
            .param("name", pipeline)
            .query(Long.class)
            .single()
        > 0;
  }

  @Override
  public List<Long> takeOrphanedRuns(String owner) {
    String orphaned =
        " state in ('QUEUED', 'RUNNING') and (owner is null or owner in"
            + " (select id from control_plane where stopped_at is not null))";
    List<Long> taken = new ArrayList<>();
    for (long id :
        jdbc.sql("select id from run where" + orphaned + " order by id").query(Long.class).list()) {
      // One at a time and under the same condition: of two control planes, one takes each run.
      int updated =
          jdbc.sql("update run set owner = :owner where id = :id and" + orphaned)
              .param("owner", owner)
              .param("id", id)
              .update();
      if (updated == 1) {
        taken.add(id);
      }
    }
    return taken;
  }

  @Override
  public void checkOwner(Collection<Long> runIds, String owner) {
    if (runIds.isEmpty()) {
      return;
    }
    int owned =
        jdbc.sql("update run set owner = owner where id in (:ids) and owner = :owner")
            .param("ids", runIds)
            .param("owner", owner)
            .update();
    if (owned != runIds.size()) {
      throw new ConcurrentUpdateException(
          "runs " + runIds + " are no longer all scheduled by this control plane");
    }
  }

  @Override
  public Optional<String> owner(long runId) {
    return jdbc.sql("select owner from run where id = :id")
        .param("id", runId)
        .query(String.class)
        .optional();
  }

  @Override
  public List<JobRow> jobsOfRun(long runId) {
    return jdbc.sql("select " + JOB_COLUMNS + " from job where run_id = :run order by seq")
        .param("run", runId)
        .query(this::job)
        .list();
  }

  @Override
  public List<JobRow> pageJobs(
      long runId, @Nullable String task, @Nullable JobState state, int offset, int limit) {
    // The ids first, then their rows: the inner query reads only an index (H2 takes it for the
    // order only when the ORDER BY starts with its first column), so skipping 100,000 jobs does
    // not read 100,000 rows and their JSON.
    return jdbc.sql(
            "select "
                + JOB_COLUMNS
                + " from job where id in (select id from job where run_id = :run"
                + jobFilter(task, state)
                + (task == null ? " order by run_id, seq" : " order by run_id, task, seq")
                + " offset :offset rows fetch next :limit rows only) order by seq")
        .param("run", runId)
        .params(filterParams(task, state))
        .param("offset", offset)
        .param("limit", limit)
        .query(this::job)
        .list();
  }

  @Override
  public List<JobRow> findJobs(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("select " + JOB_COLUMNS + " from job where id in (:ids) order by seq")
        .param("ids", ids)
        .query(this::job)
        .list();
  }

  private static String jobFilter(@Nullable String task, @Nullable JobState state) {
    return (task == null ? "" : " and task = :task") + (state == null ? "" : " and state = :state");
  }

  private static Map<String, Object> filterParams(@Nullable String task, @Nullable JobState state) {
    Map<String, Object> params = new LinkedHashMap<>();
    if (task != null) {
      params.put("task", task);
    }
    if (state != null) {
      params.put("state", state.name());
    }
    return params;
  }

  @Override
  public Map<String, Map<JobState, Integer>> countsByTask(long runId) {
    String stored =
        jdbc.sql("select counts_json from run where id = :run")
            .param("run", runId)
            .query(String.class)
            .optional()
            .orElse(null);
    if (stored != null) {
      return new LinkedHashMap<>(json.readValue(stored, COUNTS));
    }
    Map<String, Map<JobState, Integer>> counts = new LinkedHashMap<>();
    jdbc.sql(
            "select task, state, count(*) as n, min(seq) as first from job where run_id = :run"
                + " group by task, state order by first")
        .param("run", runId)
        .query(rs -> {
          counts
              .computeIfAbsent(rs.getString("task"), t -> new EnumMap<>(JobState.class))
              .put(JobState.valueOf(rs.getString("state")), rs.getInt("n"));
        });
    return counts;
  }

  @Override
  public void storeFinalCounts(long runId, Map<String, Map<JobState, Integer>> counts) {
    jdbc.sql("update run set counts_json = :counts where id = :run")
        .param("counts", json.writeValueAsString(counts))
        .param("run", runId)
        .update();
  }

  @Override
  public Optional<JobRow> findJob(long id) {
    return jdbc.sql("select " + JOB_COLUMNS + " from job where id = :id")
        .param("id", id)
        .query(this::job)
        .optional();
  }

  @Override
  public List<AttemptRow> attempts(long jobId) {
    return jdbc.sql(
            "select job_id, attempt, worker_id, state, leased_at, started_at, finished_at,"
                + " exit_code, error from job_attempt where job_id = :job order by attempt")
        .param("job", jobId)
        .query((rs, n) ->
            new AttemptRow(
                rs.getLong("job_id"),
                rs.getInt("attempt"),
                Columns.nullableLong(rs, "worker_id"),
                AttemptOutcome.valueOf(rs.getString("state")),
                Timestamps.readNullable(rs, "leased_at"),
                Timestamps.readNullable(rs, "started_at"),
                Timestamps.read(rs, "finished_at"),
                Columns.nullableInt(rs, "exit_code"),
                rs.getString("error")))
        .list();
  }

  @Override
  public boolean attemptFinished(long jobId, int attempt) {
    return jdbc.sql(
                "select (select count(*) from job_attempt where job_id = :job and attempt ="
                    + " :attempt) + (select count(*) from job where id = :job and attempt ="
                    + " :attempt and state = 'SUCCEEDED')")
            .param("job", jobId)
            .param("attempt", attempt)
            .query(Integer.class)
            .single()
        > 0;
  }

  private RunRow run(ResultSet rs, int n) throws SQLException {
    return new RunRow(
        rs.getLong("id"),
        rs.getString("pipeline_name"),
        rs.getInt("pipeline_version"),
        RunState.valueOf(rs.getString("state")),
        json.readValue(rs.getString("request_json"), RunRequest.class),
        json.readValue(rs.getString("deferred_json"), STRINGS),
        Timestamps.read(rs, "created_at"),
        Timestamps.readNullable(rs, "started_at"),
        Timestamps.readNullable(rs, "finished_at"),
        rs.getString("error"),
        rs.getLong("version"));
  }

  private JobRow job(ResultSet rs, int n) throws SQLException {
    return new JobRow(
        rs.getLong("id"),
        rs.getLong("run_id"),
        rs.getInt("seq"),
        rs.getString("job_key"),
        rs.getString("task"),
        JobState.valueOf(rs.getString("state")),
        json.readValue(rs.getString("spec_json"), JobSpec.class),
        rs.getInt("attempt"),
        rs.getInt("lost"),
        Columns.nullableLong(rs, "worker_id"),
        rs.getString("token_hash"),
        Timestamps.readNullable(rs, "queued_at"),
        Timestamps.readNullable(rs, "leased_at"),
        Timestamps.readNullable(rs, "started_at"),
        Timestamps.readNullable(rs, "finished_at"),
        Columns.nullableInt(rs, "exit_code"),
        rs.getString("error"),
        rs.getLong("version"));
  }

  private static @Nullable String truncate(@Nullable String text) {
    return text == null || text.length() <= 2000 ? text : text.substring(0, 1990) + " [...]";
  }
}
