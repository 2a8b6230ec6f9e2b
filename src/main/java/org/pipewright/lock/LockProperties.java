package org.pipewright.lock;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The bounds of the shared locks.
 *
 * @param defaultLeaseMs how long a grant lasts without a renew when an acquire names no {@code
 *     leaseMs} (default 30,000)
 * @param maxLeaseMs the longest lease an acquire or a renew may ask for (default 600,000)
 * @param defaultWaitMs how long an acquire waits for the lock when it names no {@code waitMs}
 *     (default 10,000)
 * @param maxWaitMs the longest an acquire may wait; a caller that needs longer repeats the acquire
 *     with the same {@code requestId} (default 60,000)
 * @param requeueGrace how long a waiter whose acquire timed out keeps its place in the queue, so a
 *     repeat of the same request does not go to the back; a lock that comes free for it meanwhile
 *     is granted with a lease of at most this (default 2 s)
 * @param maxPerOwner the most locks one caller (a job's attempt, a worker, a person's token) may
 *     hold or wait for at once; one more is refused with 429, so one job cannot fill the service
 *     with locks (default 100)
 * @param socket where the lock channel listens for clients on this host (the local workers), a Unix
 *     socket; none when unset or empty (the built-in settings put it in {@code ./data})
 */
@ConfigurationProperties("pipewright.locks")
public record LockProperties(
    @DefaultValue("30000") long defaultLeaseMs,
    @DefaultValue("600000") long maxLeaseMs,
    @DefaultValue("10000") long defaultWaitMs,
    @DefaultValue("60000") long maxWaitMs,
    @DefaultValue("2s") Duration requeueGrace,
    @DefaultValue("100") int maxPerOwner,
    @Nullable Path socket) {

  public LockProperties {
    if (defaultLeaseMs < 1 || maxLeaseMs < defaultLeaseMs) {
      throw new IllegalArgumentException(
          "pipewright.locks: need 1 <= default-lease-ms <= max-lease-ms");
    }
    if (defaultWaitMs < 0 || maxWaitMs < defaultWaitMs) {
      throw new IllegalArgumentException(
          "pipewright.locks: need 0 <= default-wait-ms <= max-wait-ms");
    }
    if (maxPerOwner < 1) {
      throw new IllegalArgumentException("pipewright.locks: max-per-owner must be 1 or more");
    }
    if (requeueGrace.isNegative()) {
      throw new IllegalArgumentException("pipewright.locks: requeue-grace must not be negative");
    }
  }

  /** Where the lock channel listens for local clients, if anywhere. */
  public @Nullable Path localSocket() {
    return socket == null || socket.toString().isEmpty() ? null : socket;
  }

  /** The lease an acquire asked for, or the default. */
  long leaseOrDefault(@Nullable Long leaseMs) {
    return leaseMs == null ? defaultLeaseMs : leaseMs;
  }

  /** The wait an acquire asked for, or the default. */
  long waitOrDefault(@Nullable Long waitMs) {
    return waitMs == null ? defaultWaitMs : waitMs;
  }
}
