package org.pipewright.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.pipewright.lock.LockManager;
import org.pipewright.lock.LockObserver;

/**
 * {@code pipewright.lock.wait} (tag lock): how long each grant was waited for. Lock names are few
 * and chosen by pipeline authors (Ruffus's example has one), so the name is a fair tag.
 */
final class LockMeters implements LockObserver {

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  LockMeters(MeterRegistry registry, LockManager locks) {
    this.registry = registry;
    locks.observe(this);
  }

  @Override
  public void waited(String name, long waitedNanos) {
    timers.computeIfAbsent(name, this::timer).record(waitedNanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(String name) {
    return Timer.builder("pipewright.lock.wait")
        .description("From an acquire call to its grant")
        .tag("lock", name)
        .register(registry);
  }
}
