package org.pipewright.lock;

import java.time.Instant;

/**
 * A held lock as an operator sees it.
 *
 * @param name the lock
 * @param owner who holds it, as the acquire said ({@code job 17 on worker 2})
 * @param principal whose token acquired it ({@code worker:2}, {@code admin})
 * @param token the fencing token of the current grant
 * @param expiresAt when the lease runs out unless renewed
 * @param waiters how many acquires wait for it, counting those that timed out and keep their place
 */
public record LockView(
    String name, String owner, String principal, long token, Instant expiresAt, int waiters) {}
