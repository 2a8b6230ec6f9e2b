package org.pipewright.lock;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Ends leases nobody renewed while no call touches their lock: one virtual thread that sleeps until
 * the earliest lease end and then calls {@link LockManager#expireDue()}, which hands each expired
 * lock to its next waiter. A grant whose lease ends before the planned wake wakes it early; every
 * other grant costs one read.
 */
final class ExpiryTimer implements SmartLifecycle, Granting.Expiries {

  private static final Logger log = LoggerFactory.getLogger(ExpiryTimer.class);

  /** Sleep at most this long, so a clock that jumps is noticed. */
  private static final long MAX_SLEEP_MS = 60_000;

  private final LockManager manager;
  private final Clock clock;

  /** Epoch millis of the next wake, as far as the timer and the grants since its sweep know. */
  private final AtomicLong plannedWake = new AtomicLong(Long.MAX_VALUE);

  private volatile boolean running;
  private volatile @Nullable Thread thread;

  ExpiryTimer(LockManager manager, Clock clock) {
    this.manager = manager;
    this.clock = clock;
  }

  @Override
  public void scheduled(Instant expiresAt) {
    long at = expiresAt.toEpochMilli();
    if (at < plannedWake.get()) {
      plannedWake.accumulateAndGet(at, Math::min);
      Thread timer = thread;
      if (timer != null) {
        LockSupport.unpark(timer);
      }
    }
  }

  @Override
  public void start() {
    manager.onLeaseSet(this);
    running = true;
    thread = Thread.ofVirtual().name("lock-expiry").start(this::run);
  }

  private void run() {
    while (running) {
      try {
        // Reset before the sweep: a lease set during or after it sees MAX and wakes the timer.
        plannedWake.set(Long.MAX_VALUE);
        Instant next = manager.expireDue();
        if (next != null) {
          plannedWake.accumulateAndGet(next.toEpochMilli(), Math::min);
        }
        long delay = Math.min(plannedWake.get() - clock.millis(), MAX_SLEEP_MS);
        if (delay > 0) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delay));
        }
      } catch (RuntimeException e) {
        log.error("Could not expire lock leases; trying again", e);
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
      }
    }
  }

  @Override
  public void stop() {
    running = false;
    Thread timer = thread;
    if (timer != null) {
      timer.interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
