package org.pipewright.web;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.FieldError;
import org.pipewright.lock.LockManager;
import org.pipewright.security.WorkerCredentials;
import org.pipewright.sharedlog.InvalidLogRecordException;
import org.pipewright.sharedlog.LogBatch;
import org.pipewright.sharedlog.LogLevel;
import org.pipewright.sharedlog.NewRecord;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** The body of {@code POST /api/log}, and how it becomes a {@link LogBatch} or a 422. */
final class LogBodies {

  /** Letters, digits and {@code ._:@/-}: a name a person can read back in the file. */
  private static final int MAX_SOURCE = 200;

  /** The times every database takes. */
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  private LogBodies() {}

  /**
   * @param records the records, in the order they are to appear
   * @param lock with {@code token}: append only while this grant is current
   */
  record AppendBody(
      @Nullable List<@Nullable RecordBody> records, @Nullable String lock, @Nullable Long token) {}

  /** One record as posted; see docs/shared-log.md. */
  record RecordBody(
      @Nullable String level,
      @Nullable String message,
      @Nullable Long runId,
      @Nullable Long jobId,
      @Nullable String source,
      @Nullable Long seq,
      @Nullable String time,
      @Nullable String stream) {}

  /** The answer: each record's global sequence number, in the order posted. */
  record AppendAnswer(long[] seqs) {}

  static LogBatch batch(@Nullable AppendBody body, Clock clock) {
    List<FieldError> errors = new ArrayList<>();
    if (body == null || body.records() == null) {
      throw new InvalidLogRecordException(List.of(new FieldError("records", "is required")));
    }
    if ((body.lock() == null) != (body.token() == null)) {
      errors.add(
          new FieldError(body.lock() == null ? "lock" : "token", "lock and token go together"));
    } else if (body.lock() != null && !LockManager.validName(body.lock())) {
      errors.add(
          new FieldError(
              "lock",
              "'"
                  + body.lock()
                  + "' is not a lock name: letters, digits, '.', '_' and '-', at most 100"
                  + " characters, not starting with a dot"));
    }
    Instant now = clock.instant();
    List<NewRecord> records = new ArrayList<>(body.records().size());
    for (int i = 0; i < body.records().size() && errors.size() < 10; i++) {
      NewRecord record = record(body.records().get(i), "records[" + i + "]", now, errors);
      if (record != null) {
        records.add(record);
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidLogRecordException(errors);
    }
    return new LogBatch(records, body.lock(), body.token(), null);
  }

  /**
   * The batch as its caller may append it: a job's attempt token writes only its own job's records
   * in its own namespace, a worker only as itself, and both only under grants made to them; the
   * admin may do anything.
   */
  static LogBatch forCaller(LogBatch batch, Authentication caller) {
    boolean admin = false;
    for (GrantedAuthority authority : caller.getAuthorities()) {
      String name = authority.getAuthority();
      if (name == null) {
        continue;
      }
      if (name.startsWith(WorkerCredentials.JOB_AUTHORITY)) {
        batch = ownJob(batch, name.substring(WorkerCredentials.JOB_AUTHORITY.length()));
      } else if (name.equals("ROLE_WORKER")) {
        batch = ownSource(batch, "worker-" + WorkerCredentials.workerId(caller.getName()));
      } else if (name.equals("ROLE_ADMIN")) {
        admin = true;
      }
    }
    return batch.by(admin ? null : caller.getName());
  }

  /**
   * A job's own records, appended with its attempt token: they belong to its run and job, which
   * records that name none get, and a record naming another is refused.
   *
   * @param runAndJob {@code <runId>_<jobId>_<attempt>} from the token's authority; the sources of
   *     its records are put in the attempt's namespace, {@code job-<jobId>.<attempt>/}, so a
   *     retried attempt that numbers from 1 again is not taken for repeats of the first
   */
  static LogBatch ownJob(LogBatch batch, String runAndJob) {
    String[] parts = runAndJob.split("_");
    long runId = Long.parseLong(parts[0]);
    long jobId = Long.parseLong(parts[1]);
    String namespace = "job-" + jobId + "." + parts[2] + "/";
    List<NewRecord> records = new ArrayList<>(batch.records().size());
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < batch.records().size(); i++) {
      NewRecord r = batch.records().get(i);
      if (namespace.length() + r.source().length() > MAX_SOURCE) {
        errors.add(
            new FieldError(
                "records[" + i + "].source",
                "at most " + (MAX_SOURCE - namespace.length()) + " characters for this job"));
        continue;
      }
      if ((r.jobId() != null && r.jobId() != jobId) || (r.runId() != null && r.runId() != runId)) {
        errors.add(
            new FieldError(
                "records[" + i + "]",
                "an attempt token writes only the records of its own job (" + jobId + ")"));
        continue;
      }
      records.add(
          new NewRecord(
              r.time(),
              r.level(),
              // Its own source namespace: a job cannot pass for a worker or another job, whose
              // records with the same numbers would then be taken for repeats and never stored.
              namespace + r.source(),
              r.sourceSeq(),
              runId,
              jobId,
              r.stream(),
              r.message()));
    }
    if (!errors.isEmpty()) {
      throw new InvalidLogRecordException(errors);
    }
    return batch.with(records);
  }

  /**
   * A worker's records, appended with its session token: they must carry its own source name, so it
   * cannot take the numbers of another writer's records.
   */
  static LogBatch ownSource(LogBatch batch, String source) {
    for (int i = 0; i < batch.records().size(); i++) {
      if (!batch.records().get(i).source().equals(source)) {
        throw new InvalidLogRecordException(
            List.of(
                new FieldError(
                    "records[" + i + "].source", "a worker writes as '" + source + "' only")));
      }
    }
    return batch;
  }

  private static @Nullable NewRecord record(
      @Nullable RecordBody body, String path, Instant now, List<FieldError> errors) {
    if (body == null) {
      errors.add(new FieldError(path, "is null; a record is an object"));
      return null;
    }
    int before = errors.size();
    LogLevel level = null;
    if (body.level() == null) {
      errors.add(new FieldError(path + ".level", "is required: DEBUG, INFO, WARN or ERROR"));
    } else {
      level = LogLevel.parse(body.level()).orElse(null);
      if (level == null) {
        errors.add(
            new FieldError(
                path + ".level",
                "'" + clip(body.level()) + "' is not a level: DEBUG, INFO, WARN or ERROR"));
      }
    }
    if (body.message() == null) {
      errors.add(new FieldError(path + ".message", "is required"));
    }
    String source = body.source();
    if (source == null || source.isEmpty()) {
      errors.add(new FieldError(path + ".source", "is required: who writes, e.g. 'worker-2'"));
    } else if (!validSource(source)) {
      errors.add(
          new FieldError(
              path + ".source",
              "'"
                  + clip(source)
                  + "' is not a source name: letters, digits and '._:@/-', at most "
                  + MAX_SOURCE
                  + " characters"));
    }
    if (body.seq() != null && body.seq() < 0) {
      errors.add(new FieldError(path + ".seq", "must be 0 or more"));
    }
    if (body.runId() != null && body.runId() < 1) {
      errors.add(new FieldError(path + ".runId", "must be 1 or more"));
    }
    if (body.jobId() != null && body.jobId() < 1) {
      errors.add(new FieldError(path + ".jobId", "must be 1 or more"));
    }
    if (body.stream() != null
        && !body.stream().equals("stdout")
        && !body.stream().equals("stderr")) {
      errors.add(new FieldError(path + ".stream", "must be 'stdout' or 'stderr'"));
    }
    Instant time = now;
    if (body.time() != null) {
      try {
        time = OffsetDateTime.parse(body.time()).toInstant();
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
          errors.add(new FieldError(path + ".time", "must lie between the years 1 and 9999 (UTC)"));
        }
      } catch (DateTimeParseException e) {
        errors.add(
            new FieldError(
                path + ".time",
                "'"
                    + clip(body.time())
                    + "' is not a time: ISO-8601 with a zone, e.g. 2026-11-28T08:05:16.123Z"));
      }
    }
    if (errors.size() > before || level == null || source == null || body.message() == null) {
      return null;
    }
    // PostgreSQL refuses NUL in text; a shell job's output may hold one.
    String message = body.message().replace('\u0000', '\uFFFD');
    return new NewRecord(
        time, level, source, body.seq(), body.runId(), body.jobId(), body.stream(), message);
  }

  private static boolean validSource(String source) {
    if (source.length() > MAX_SOURCE) {
      return false;
    }
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || ".-_:@/".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Echoes a value back in an error without echoing a megabyte. */
  private static String clip(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
