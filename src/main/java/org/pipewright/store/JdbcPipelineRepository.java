package org.pipewright.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.pipewright.pipeline.PipelineRepository;
import org.pipewright.pipeline.PipelineSummary;
import org.pipewright.pipeline.StoredPipeline;
import org.pipewright.pipeline.VersionInfo;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pipelines in the {@code pipeline} and {@code pipeline_version} tables. A new version bumps the
 * pipeline row under an optimistic lock; the loser of a race retries with the next number.
 */
@Repository
class JdbcPipelineRepository implements PipelineRepository {

  /** Enough for dozens of simultaneous posts under one name; each retry follows a commit. */
  private static final int MAX_ATTEMPTS = 64;

  private static final String SELECT_VERSION =
      "select pipeline_name, version, digest, format, source, canonical_json, created_at"
          + " from pipeline_version";

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  JdbcPipelineRepository(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(transactionManager);
  }

  @Override
  public Optional<StoredPipeline> findLatest(String name) {
    return jdbc.sql(
            SELECT_VERSION
                + " where pipeline_name = :name and version ="
                + " (select latest_version from pipeline where name = :name)")
        .param("name", name)
        .query(JdbcPipelineRepository::storedPipeline)
        .optional();
  }

  @Override
  public Optional<StoredPipeline> findVersion(String name, int version) {
    return jdbc.sql(SELECT_VERSION + " where pipeline_name = :name and version = :version")
        .param("name", name)
        .param("version", version)
        .query(JdbcPipelineRepository::storedPipeline)
        .optional();
  }

  @Override
  public Optional<StoredPipeline> findByDigest(String name, String digest) {
    return jdbc.sql(
            SELECT_VERSION
                + " where pipeline_name = :name and digest = :digest"
                + " order by version desc fetch first 1 rows only")
        .param("name", name)
        .param("digest", digest)
        .query(JdbcPipelineRepository::storedPipeline)
        .optional();
  }

  @Override
  public List<PipelineSummary> list() {
    return jdbc.sql(
            "select p.name, p.latest_version, p.updated_at,"
                + " (select count(*) from pipeline_version v where v.pipeline_name = p.name)"
                + " as versions from pipeline p order by p.name")
        .query((rs, row) ->
            new PipelineSummary(
                rs.getString("name"),
                rs.getInt("latest_version"),
                rs.getInt("versions"),
                Timestamps.read(rs, "updated_at")))
        .list();
  }

  @Override
  public List<VersionInfo> versions(String name) {
    return jdbc.sql(
            "select version, digest, format, created_at from pipeline_version"
                + " where pipeline_name = :name order by version")
        .param("name", name)
        .query((rs, row) ->
            new VersionInfo(
                rs.getInt("version"),
                rs.getString("digest"),
                rs.getString("format"),
                Timestamps.read(rs, "created_at")))
        .list();
  }

  @Override
  public Saved save(NewVersion version) {
    RuntimeException lastConflict = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        return tx.execute(status -> saveOnce(version));
      } catch (DuplicateKeyException | ConcurrencyFailureException e) {
        // Another post under this name committed first; read its version and go after it.
        lastConflict = e;
      }
    }
    throw new ConcurrencyFailureException(
        "Gave up storing pipeline '" + version.name() + "' after " + MAX_ATTEMPTS + " conflicts",
        lastConflict);
  }

  private Saved saveOnce(NewVersion v) {
    Optional<PipelineRow> row =
        jdbc.sql(
                "select p.latest_version, p.version, v.digest from pipeline p"
                    + " join pipeline_version v"
                    + " on v.pipeline_name = p.name and v.version = p.latest_version"
                    + " where p.name = :name")
            .param("name", v.name())
            .query((rs, n) ->
                new PipelineRow(
                    rs.getInt("latest_version"), rs.getLong("version"), rs.getString("digest")))
            .optional();
    int next;
    if (row.isEmpty()) {
      // A concurrent first post of the same name fails here with a duplicate key and retries.
      jdbc.sql(
              "insert into pipeline (name, latest_version, created_at, updated_at, version)"
                  + " values (:name, 1, :at, :at, 0)")
          .param("name", v.name())
          .param("at", Timestamps.write(v.createdAt()))
          .update();
      next = 1;
    } else {
      PipelineRow current = row.get();
      if (current.latestDigest().equals(v.digest())) {
        return new Saved(current.latestVersion(), false);
      }
      next = current.latestVersion() + 1;
      int updated =
          jdbc.sql(
                  "update pipeline set latest_version = :next, updated_at = :at,"
                      + " version = version + 1 where name = :name and version = :version")
              .param("next", next)
              .param("at", Timestamps.write(v.createdAt()))
              .param("name", v.name())
              .param("version", current.rowVersion())
              .update();
      if (updated == 0) {
        throw new OptimisticLockingFailureException("pipeline " + v.name() + " changed");
      }
    }
    jdbc.sql(
            "insert into pipeline_version"
                + " (pipeline_name, version, digest, format, source, canonical_json, created_at)"
                + " values (:name, :version, :digest, :format, :source, :json, :at)")
        .param("name", v.name())
        .param("version", next)
        .param("digest", v.digest())
        .param("format", v.format())
        .param("source", v.source())
        .param("json", v.canonicalJson())
        .param("at", Timestamps.write(v.createdAt()))
        .update();
    return new Saved(next, true);
  }

  private static StoredPipeline storedPipeline(ResultSet rs, int row) throws SQLException {
    return new StoredPipeline(
        rs.getString("pipeline_name"),
        rs.getInt("version"),
        rs.getString("digest"),
        rs.getString("format"),
        rs.getString("source"),
        rs.getString("canonical_json"),
        Timestamps.read(rs, "created_at"));
  }

  private record PipelineRow(int latestVersion, long rowVersion, String latestDigest) {}
}
