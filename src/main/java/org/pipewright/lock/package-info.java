/**
 * Named leased locks with fencing tokens, Ruffus's {@code manager.Lock()} as a service ({@code
 * docs/shared-log.md}, "Locks"): the {@link org.pipewright.lock.LockManager} holds them in memory
 * and the HTTP calls under {@code /api/locks} reach it. It uses nothing of the other capabilities;
 * the epoch that keeps tokens rising across restarts comes through {@link
 * org.pipewright.lock.LockEpochs}, implemented in {@code store}.
 */
@NullMarked
package org.pipewright.lock;

import org.jspecify.annotations.NullMarked;
