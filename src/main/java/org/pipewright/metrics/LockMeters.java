package org.pipewright.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.pipewright.lock.LockManager;
import org.pipewright.lock.LockObserver;

/**
 * {@code pipewright.lock.wait} (tag lock): how long each grant was waited for. Lock names are few
 * and chosen by pipeline authors (Ruffus's example has one), so the name is a fair tag; past
 * {@value #MAX_NAMES} names, made up by a careless or hostile caller, the rest share the tag {@code
 * other}.
 */
final class LockMeters implements LockObserver {

  static final int MAX_NAMES = 50;

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  LockMeters(MeterRegistry registry, LockManager locks) {
    this.registry = registry;
    locks.observe(this);
  }

  @Override
  public void waited(String name, long waitedNanos) {
    Timer timer = timers.get(name);
    if (timer == null) {
      timer =
          timers.size() < MAX_NAMES
              ? timers.computeIfAbsent(name, this::timer)
              : timers.computeIfAbsent("other", this::timer);
    }
    timer.record(waitedNanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(String name) {
    return Timer.builder("pipewright.lock.wait")
        .description("From an acquire call to its grant")
        .tag("lock", name)
        .register(registry);
  }
}
