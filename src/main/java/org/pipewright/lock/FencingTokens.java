package org.pipewright.lock;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands out fencing tokens: the epoch of this start in the high 32 bits, a grant number in the low
 * 32 bits.
 *
 * <p>One grant counter serves every lock instead of one per lock name. A number that rises across
 * all grants also rises within each lock, and the manager can forget a lock that nobody holds or
 * waits for without remembering its last number, so memory does not grow with the names ever used.
 * One compare-and-set per grant costs nothing next to an HTTP call.
 *
 * <p>After 2^32 - 1 grants in one epoch (days at full speed) the next epoch is taken from the
 * store, so the counter never spills into the epoch bits, where it would collide with the tokens of
 * the next start.
 */
final class FencingTokens {

  static final long LOW = 0xFFFF_FFFFL;

  private final LockEpochs epochs;
  private final AtomicLong last;
  private final ReentrantLock rollover = new ReentrantLock();

  FencingTokens(LockEpochs epochs) {
    this(epochs, 0);
  }

  /** Starts the counter at {@code lastGrant}, so a test can reach the end of an epoch. */
  FencingTokens(LockEpochs epochs, long lastGrant) {
    if (lastGrant < 0 || lastGrant > LOW) {
      throw new IllegalArgumentException("a grant number has 32 bits: " + lastGrant);
    }
    this.epochs = epochs;
    this.last = new AtomicLong(base(epochs.next()) | lastGrant);
  }

  /** A token greater than every token handed out before, by this process or an earlier one. */
  long next() {
    while (true) {
      long current = last.get();
      if ((current & LOW) == LOW) {
        rollOver(current);
      } else if (last.compareAndSet(current, current + 1)) {
        return current + 1;
      }
    }
  }

  private void rollOver(long exhausted) {
    rollover.lock();
    try {
      if (last.get() == exhausted) { // nobody else rolled over meanwhile
        long next = base(epochs.next());
        if (next <= exhausted) {
          throw new IllegalStateException("the lock epoch did not grow: " + (next >>> 32));
        }
        last.set(next);
      }
    } finally {
      rollover.unlock();
    }
  }

  private static long base(long epoch) {
    // Epochs past 2^31 - 1 would make tokens negative; at one start a second that is 68 years.
    if (epoch < 0 || epoch > Integer.MAX_VALUE) {
      throw new IllegalStateException("lock epoch out of range: " + epoch);
    }
    return epoch << 32;
  }
}
