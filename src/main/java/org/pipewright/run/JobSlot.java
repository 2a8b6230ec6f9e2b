package org.pipewright.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler's working copy of one job. Only the {@link Scheduler} touches it, under its lock;
 * every change raises {@link #version} and is written back through {@link #row()} before anyone
 * outside (a worker, a client) can see its effect.
 */
final class JobSlot {

  final ActiveRun run;
  long id;
  final int seq;
  final String key;
  final String task;
  final JobSpec spec;
  final @Nullable String limit;
  final int retries;
  final List<JobSlot> dependents = new ArrayList<>();
  int waitingFor;

  JobState state;
  int attempt;
  int lost;
  @Nullable Long workerId;
  @Nullable String tokenHash;
  @Nullable Instant queuedAt;
  @Nullable Instant leasedAt;
  @Nullable Instant startedAt;
  @Nullable Instant finishedAt;
  @Nullable Integer exitCode;
  @Nullable String error;
  long version;

  /** The last attempt whose completion was taken, so that a resent one is recognised. */
  int reportedAttempt;

  /** Back in the queue after a failed or lost attempt: it goes to the front, it waited longest. */
  boolean retried;

  /** The version the database holds: what the next write expects to replace. */
  long storedVersion;

  /**
   * The state readers see: the stored one, or QUEUED once the step that made the job ready was
   * stored (that state alone is not written). Set under the lock, read without it ({@link
   * ShownRun}).
   */
  volatile JobState shown;

  JobSlot(ActiveRun run, JobRow row, @Nullable String limit, int retries) {
    this.run = run;
    this.id = row.id();
    this.seq = row.seq();
    this.key = row.key();
    this.task = row.task();
    this.spec = row.spec();
    this.limit = limit;
    this.retries = retries;
    this.state = row.state();
    this.attempt = row.attempt();
    this.lost = row.lost();
    this.workerId = row.workerId();
    this.tokenHash = row.tokenHash();
    this.queuedAt = row.queuedAt();
    this.leasedAt = row.leasedAt();
    this.startedAt = row.startedAt();
    this.finishedAt = row.finishedAt();
    this.exitCode = row.exitCode();
    this.error = row.error();
    this.version = row.version();
    this.storedVersion = row.version();
    this.shown = row.state();
  }

  /** Moves to {@code next} through the state table and raises the version. */
  void move(JobState next) {
    JobState before = state;
    state = state.to(next);
    version++;
    run.count(task, before, -1);
    run.count(task, next, 1);
  }

  boolean heldBy(long worker, int attemptNumber) {
    return state.isHeld() && workerId != null && workerId == worker && attempt == attemptNumber;
  }

  /** The finished current attempt, for the attempt history. */
  AttemptRow attemptRow(AttemptOutcome outcome, Instant at) {
    return new AttemptRow(id, attempt, workerId, outcome, leasedAt, startedAt, at, exitCode, error);
  }

  JobRow row() {
    return new JobRow(
        id,
        run.id,
        seq,
        key,
        task,
        state,
        spec,
        attempt,
        lost,
        workerId,
        tokenHash,
        queuedAt,
        leasedAt,
        startedAt,
        finishedAt,
        exitCode,
        error,
        version);
  }
}
