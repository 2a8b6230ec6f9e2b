package org.pipewright.sharedlog;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Records appended together: atomically, and contiguously in the log.
 *
 * @param lock with {@code token}: append only while this grant of the named lock is current
 */
public record LogBatch(List<NewRecord> records, @Nullable String lock, @Nullable Long token) {

  public LogBatch {
    records = List.copyOf(records);
  }
}
