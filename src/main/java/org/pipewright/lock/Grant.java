package org.pipewright.lock;

import java.time.Instant;

/**
 * A lock held: what an acquire or a renew answers.
 *
 * @param name the lock
 * @param token the fencing token of this grant, greater than that of every earlier grant of the
 *     lock, also across restarts of the control plane
 * @param expiresAt when the lease runs out on the control plane's clock unless renewed
 * @param leaseMs the length of the lease that ends at {@code expiresAt}
 */
public record Grant(String name, long token, Instant expiresAt, long leaseMs) {}
