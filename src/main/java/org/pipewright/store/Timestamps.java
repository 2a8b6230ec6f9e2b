package org.pipewright.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * Instants to and from {@code timestamp with time zone} columns. Goes through {@link
 * OffsetDateTime}, the one java.time type both the H2 and the PostgreSQL drivers map.
 */
final class Timestamps {

  private Timestamps() {}

  static OffsetDateTime write(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  static Instant read(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  /** A nullable column, for times that are not set yet. */
  static @Nullable Instant readNullable(ResultSet rs, String column) throws SQLException {
    OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }

  static @Nullable OffsetDateTime writeNullable(@Nullable Instant instant) {
    return instant == null ? null : write(instant);
  }
}
