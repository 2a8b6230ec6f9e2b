package org.pipewright.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

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
}
