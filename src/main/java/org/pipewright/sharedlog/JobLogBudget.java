package org.pipewright.sharedlog;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How much each job may write to the shared log per minute, so that one job that prints a gigabyte
 * cannot fill the database and the file for everyone. Counted per calendar minute of the control
 * plane's clock; a batch that would pass a job's allowance is refused whole (429) and its writer
 * sends it again later, or drops it as its queue fills.
 */
final class JobLogBudget {

  /** Jobs counted at once before the minutes that ended are forgotten. */
  private static final int SWEEP_AT = 10_000;

  private record Spent(long minute, long bytes) {}

  private final long bytesPerMinute;
  private final Clock clock;
  private final Map<Long, Spent> spent = new HashMap<>();

  JobLogBudget(long bytesPerMinute, Clock clock) {
    this.bytesPerMinute = bytesPerMinute;
    this.clock = clock;
  }

  /**
   * Charges a batch to the jobs its records belong to, all or nothing.
   *
   * @throws LogVolumeExceededException when a job would pass its allowance; nothing is charged
   */
  synchronized void charge(List<NewRecord> records) {
    Map<Long, Long> bytes = new HashMap<>();
    for (NewRecord record : records) {
      if (record.jobId() != null) {
        bytes.merge(record.jobId(), weight(record), Long::sum);
      }
    }
    if (bytes.isEmpty()) {
      return;
    }
    long minute = clock.millis() / 60_000;
    for (Map.Entry<Long, Long> job : bytes.entrySet()) {
      if (spentBy(job.getKey(), minute) + job.getValue() > bytesPerMinute) {
        throw new LogVolumeExceededException(job.getKey(), bytesPerMinute);
      }
    }
    if (spent.size() > SWEEP_AT) {
      spent.values().removeIf(s -> s.minute() != minute);
    }
    for (Map.Entry<Long, Long> job : bytes.entrySet()) {
      spent.put(job.getKey(), new Spent(minute, spentBy(job.getKey(), minute) + job.getValue()));
    }
  }

  private long spentBy(long jobId, long minute) {
    Spent s = spent.get(jobId);
    return s == null || s.minute() != minute ? 0 : s.bytes();
  }

  /** The message's length, as what the database and the file will hold of it. */
  private static long weight(NewRecord record) {
    return record.message().length();
  }
}
