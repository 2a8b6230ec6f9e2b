package org.pipewright.worker;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.pipewright.pipeline.Resources;

/**
 * A worker as stored.
 *
 * @param id its id, given when it is launched
 * @param launcher {@code local} or {@code slurm}
 * @param launchTokenHash SHA-256 of the token it registers with
 * @param sessionTokenHash SHA-256 of its session token once registered
 * @param instanceId the control-plane process that launched it
 * @param host where it runs
 * @param pid its process id there
 * @param state where it is in its life
 * @param launchedAt when it was launched
 * @param registeredAt when it registered
 * @param leaseExpiresAt when its jobs stop being its own unless it heartbeats
 * @param endedAt when it exited or was declared lost
 * @param version optimistic lock
 * @param slurmJobId the SLURM job it runs as, once submitted ({@code slurm} launcher only)
 * @param offered the cores and memory it offered when it registered; null before, or when it did
 *     not say
 */
public record WorkerRow(
    long id,
    String launcher,
    String launchTokenHash,
    @Nullable String sessionTokenHash,
    String instanceId,
    @Nullable String host,
    @Nullable Long pid,
    WorkerState state,
    Instant launchedAt,
    @Nullable Instant registeredAt,
    @Nullable Instant leaseExpiresAt,
    @Nullable Instant endedAt,
    long version,
    @Nullable String slurmJobId,
    @Nullable Resources offered) {

  /** The same worker, its lease running until {@code until} (null: none), one version on. */
  WorkerRow withLease(@Nullable Instant until) {
    return copy(state, until, endedAt, version + 1, slurmJobId);
  }

  /** The same worker, known to run as SLURM job {@code jobId}, one version on. */
  WorkerRow withSlurmJobId(String jobId) {
    return copy(state, leaseExpiresAt, endedAt, version + 1, jobId);
  }

  /** The same worker at another stored version: what memory holds when a write did not land. */
  WorkerRow atVersion(long stored) {
    return copy(state, leaseExpiresAt, endedAt, stored, slurmJobId);
  }

  /** The same worker, over ({@code EXITED} or {@code LOST}) since {@code at}, one version on. */
  WorkerRow ended(WorkerState next, Instant at) {
    return copy(state.to(next), leaseExpiresAt, at, version + 1, slurmJobId);
  }

  /** The fields that change over a worker's life; the rest are fixed once it registered. */
  private WorkerRow copy(
      WorkerState nextState,
      @Nullable Instant lease,
      @Nullable Instant ended,
      long nextVersion,
      @Nullable String job) {
    return new WorkerRow(
        id,
        launcher,
        launchTokenHash,
        sessionTokenHash,
        instanceId,
        host,
        pid,
        nextState,
        launchedAt,
        registeredAt,
        lease,
        ended,
        nextVersion,
        job,
        offered);
  }
}
