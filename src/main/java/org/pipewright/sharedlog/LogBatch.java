package org.pipewright.sharedlog;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Records appended together: atomically, and contiguously in the log.
 *
 * @param lock with {@code token}: append only while this grant of the named lock is current
 * @param principal who appends, whose grant the lock's must be; null for the admin
 */
public record LogBatch(
    List<NewRecord> records,
    @Nullable String lock,
    @Nullable Long token,
    @Nullable String principal) {

  public LogBatch {
    records = List.copyOf(records);
  }

  /** The same batch with other records. */
  public LogBatch with(List<NewRecord> others) {
    return new LogBatch(others, lock, token, principal);
  }

  /** The same batch, appended by someone. */
  public LogBatch by(@Nullable String who) {
    return new LogBatch(records, lock, token, who);
  }
}
