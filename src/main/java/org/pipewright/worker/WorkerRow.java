package org.pipewright.worker;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

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
    long version) {

  WorkerRow with(WorkerState next) {
    return new WorkerRow(
        id,
        launcher,
        launchTokenHash,
        sessionTokenHash,
        instanceId,
        host,
        pid,
        state.to(next),
        launchedAt,
        registeredAt,
        leaseExpiresAt,
        endedAt,
        version + 1);
  }
}
