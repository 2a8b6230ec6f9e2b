package org.pipewright.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives an embedded H2 database that could not write its file (a full disk, a file made read-only)
 * a way back. H2 then closes the database, or, for a connection opened meanwhile, opens it
 * read-only, and keeps it so for as long as any connection to it is open; both states answer every
 * later write with an error the connection pool does not know as fatal, and old connections still
 * say they are valid. So on such an error every connection of the pool is evicted (those in use
 * once they are returned): with the last one closed, the next opens the database anew from its
 * file, read-write once the file can be written again.
 */
final class H2ClosedDatabase implements SQLExceptionOverride {

  /**
   * DATABASE_IS_CLOSED, DATABASE_CALLED_AT_SHUTDOWN, CONNECTION_BROKEN_1, IO_EXCEPTION_1, _2,
   * DATABASE_IS_READ_ONLY.
   */
  static final Set<Integer> CLOSED = Set.of(90098, 90121, 90067, 90028, 90031, 90097);

  /** At most one eviction of the whole pool per this many ms: a burst of errors is one outage. */
  private static final long EVICT_EVERY_MS = 500;

  private final HikariDataSource pool;
  private final AtomicLong evictedAt = new AtomicLong();

  H2ClosedDatabase(HikariDataSource pool) {
    this.pool = pool;
  }

  @java.lang.Override
  public Override adjudicate(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && CLOSED.contains(sql.getErrorCode())) {
        evictAll();
        return Override.MUST_EVICT;
      }
    }
    return Override.CONTINUE_EVICT;
  }

  private void evictAll() {
    long now = System.nanoTime() / 1_000_000;
    long last = evictedAt.get();
    if (now - last < EVICT_EVERY_MS || !evictedAt.compareAndSet(last, now)) {
      return;
    }
    HikariPoolMXBean bean = pool.getHikariPoolMXBean();
    if (bean != null) {
      bean.softEvictConnections();
    }
  }
}
