package org.pipewright.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.pipewright.cluster.Member;
import org.pipewright.cluster.MemberRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The control planes in {@code control_plane}. */
@Repository
class JdbcMemberRepository implements MemberRepository {

  private static final String COLUMNS =
      "id, address, started_at, seen_at, stopped_at, stopped_by, version";

  private final JdbcClient jdbc;

  JdbcMemberRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(Member member) {
    jdbc.sql(
            "insert into control_plane ("
                + COLUMNS
                + ")"
                + " values (:id, :address, :started, :seen, null, null, :version)")
        .param("id", member.id())
        .param("address", member.address())
        .param("started", Timestamps.write(member.startedAt()))
        .param("seen", Timestamps.write(member.seenAt()))
        .param("version", member.version())
        .update();
  }

  @Override
  public boolean renew(String id, Instant now) {
    return jdbc.sql(
                "update control_plane set seen_at = :now, version = version + 1"
                    + " where id = :id and stopped_at is null")
            .param("now", Timestamps.write(now))
            .param("id", id)
            .update()
        == 1;
  }

  @Override
  public List<Member> findRunning() {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from control_plane where stopped_at is null order by started_at")
        .query(JdbcMemberRepository::member)
        .list();
  }

  @Override
  public boolean stop(String id, long version, String by, Instant now) {
    return jdbc.sql(
                "update control_plane set stopped_at = :now, stopped_by = :by,"
                    + " version = version + 1 where id = :id and version = :version"
                    + " and stopped_at is null")
            .param("now", Timestamps.write(now))
            .param("by", by)
            .param("id", id)
            .param("version", version)
            .update()
        == 1;
  }

  private static Member member(ResultSet rs, int row) throws SQLException {
    return new Member(
        rs.getString("id"),
        rs.getString("address"),
        Timestamps.read(rs, "started_at"),
        Timestamps.read(rs, "seen_at"),
        Timestamps.readNullable(rs, "stopped_at"),
        rs.getString("stopped_by"),
        rs.getLong("version"));
  }
}
