package org.pipewright.web;

import java.sql.SQLException;
import java.util.Set;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a database that cannot serve just now from a bug, by the SQL state or vendor code the
 * drivers give where Spring's translation has no category for it (a read-only database among them):
 * a PostgreSQL standby or a database made read-only, a connection cut by an administrator, an H2
 * file that cannot be written.
 */
final class DatabaseStates {

  /** PostgreSQL: read-only transaction; administrator or crash shutdown; cannot connect now. */
  private static final Set<String> STATES = Set.of("25006", "57P01", "57P02", "57P03");

  /** H2: database read only, database closed, connection broken, file write failed. */
  private static final Set<Integer> H2_CODES = Set.of(90097, 90098, 90067, 90028);

  private DatabaseStates() {}

  static boolean unavailable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof TransactionSystemException) {
        // A commit or rollback that failed: the connection went away under the transaction.
        return true;
      }
      if (cause instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && (STATES.contains(state) || state.startsWith("08"))) {
          return true;
        }
        if (H2_CODES.contains(sql.getErrorCode())) {
          return true;
        }
      }
    }
    return false;
  }
}
