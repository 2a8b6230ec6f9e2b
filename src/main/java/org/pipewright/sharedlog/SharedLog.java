package org.pipewright.sharedlog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.pipewright.FieldError;
import org.springframework.dao.DataAccessException;

/**
 * The shared-log bean: Ruffus's shared logger, owned by the control plane. It checks what writers
 * send (the runs and jobs they name exist, messages fit), hands batches to the single {@link
 * LogAppender}, and serves readers pages and the live end of the log.
 */
public class SharedLog implements AutoCloseable {

  /** Runs and jobs known to exist; they are checked once, not on every line of a busy job. */
  private static final int REMEMBERED_TARGETS = 50_000;

  private final LogAppender appender;
  private final LogStore store;
  private final LogTargets targets;
  private final LogTail tail;
  private final SharedLogProperties properties;
  private final JobLogBudget budget;
  private final Map<Long, Long> runOfJob = bounded();
  private final Map<Long, Long> runs = bounded();

  SharedLog(
      LogAppender appender,
      LogStore store,
      LogTargets targets,
      LogTail tail,
      SharedLogProperties properties,
      JobLogBudget budget) {
    this.budget = budget;
    this.appender = appender;
    this.store = store;
    this.targets = targets;
    this.tail = tail;
    this.properties = properties;
  }

  /**
   * Appends a batch: atomically, contiguously, and committed before this returns.
   *
   * @return each record's global sequence number, in order
   * @throws InvalidLogRecordException when a record names a run or job that does not exist, or the
   *     batch is too large; nothing is stored
   * @throws org.pipewright.lock.LockNotHeldException when the batch names a lock grant that is not
   *     current
   * @throws LogUnavailableException when the database failed; nothing is stored
   * @throws LogVolumeExceededException when a job would write more than its allowance this minute;
   *     nothing is stored
   */
  public long[] append(LogBatch batch) throws InterruptedException {
    if (batch.records().size() > properties.maxBatch()) {
      throw new InvalidLogRecordException(
          List.of(
              new FieldError(
                  "records",
                  batch.records().size()
                      + " records in one batch; at most "
                      + properties.maxBatch()
                      + " are taken")));
    }
    try {
      checkTargets(batch.records());
    } catch (DataAccessException e) {
      throw new LogUnavailableException("the runs and jobs the records name cannot be read", e);
    }
    List<NewRecord> records = truncated(batch.records());
    if (batch.principal() != null) {
      budget.charge(records);
    }
    return appender.append(batch.with(records));
  }

  /** Who hears of every group of records stored: the metrics. */
  public void observe(LogObserver observer) {
    appender.observe(observer);
  }

  /** A page of the log in sequence order. */
  public List<LogRecord> page(LogQuery query) {
    return store.page(query);
  }

  /** The newest records that match, before a sequence number, in sequence order. */
  public List<LogRecord> latest(LogQuery query, long before) {
    return store.latest(query, before);
  }

  /** The end of the log, for followers. */
  public LogTail tail() {
    return tail;
  }

  @Override
  public void close() {
    appender.close();
  }

  private void checkTargets(List<NewRecord> records) {
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      NewRecord record = records.get(i);
      Long jobId = record.jobId();
      Long runId = record.runId();
      if (jobId != null) {
        Long run = runOfJob(jobId);
        if (run == null) {
          errors.add(new FieldError("records[" + i + "].jobId", "there is no job " + jobId));
        } else if (runId != null && !run.equals(runId)) {
          errors.add(
              new FieldError(
                  "records[" + i + "].jobId",
                  "job " + jobId + " belongs to run " + run + ", not to run " + runId));
        }
      } else if (runId != null && !runExists(runId)) {
        errors.add(new FieldError("records[" + i + "].runId", "there is no run " + runId));
      }
      if (errors.size() >= 10) {
        break;
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidLogRecordException(errors);
    }
  }

  private @Nullable Long runOfJob(long jobId) {
    synchronized (runOfJob) {
      Long known = runOfJob.get(jobId);
      if (known != null) {
        return known;
      }
    }
    OptionalLong run = targets.runOfJob(jobId);
    if (run.isEmpty()) {
      return null;
    }
    synchronized (runOfJob) {
      runOfJob.put(jobId, run.getAsLong());
    }
    return run.getAsLong();
  }

  private boolean runExists(long runId) {
    synchronized (runs) {
      if (runs.containsKey(runId)) {
        return true;
      }
    }
    if (!targets.runExists(runId)) {
      return false;
    }
    synchronized (runs) {
      runs.put(runId, runId);
    }
    return true;
  }

  private List<NewRecord> truncated(List<NewRecord> records) {
    int max = properties.maxMessageChars();
    List<NewRecord> result = null;
    for (int i = 0; i < records.size(); i++) {
      NewRecord record = records.get(i);
      if (record.message().length() > max) {
        if (result == null) {
          result = new ArrayList<>(records);
        }
        result.set(i, record.withMessage(truncate(record.message(), max)));
      }
    }
    return result == null ? records : result;
  }

  /**
   * The first {@code max} chars (not splitting a surrogate pair) and a marker saying how many went.
   */
  static String truncate(String message, int max) {
    int keep = max;
    if (Character.isHighSurrogate(message.charAt(keep - 1))) {
      keep--;
    }
    return message.substring(0, keep) + "... [truncated " + (message.length() - keep) + " chars]";
  }

  private static <K, V> Map<K, V> bounded() {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > REMEMBERED_TARGETS;
      }
    };
  }
}
