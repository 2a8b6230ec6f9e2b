package org.pipewright.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.pipewright.run.JobState;
import org.pipewright.run.RunObserver;

/**
 * {@code pipewright.jobs} (counter: pipeline, task, outcome) and {@code pipewright.job.duration}
 * (timer: pipeline, task, outcome). The scheduler calls it under its lock, so meters are looked up
 * once per tag set and kept.
 */
final class JobMeters implements RunObserver {

  private final MeterRegistry registry;
  private final ConcurrentHashMap<Key, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

  JobMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  private record Key(String pipeline, String task, JobState outcome) {}

  @Override
  public void jobEnded(String pipeline, String task, JobState outcome, @Nullable Long tookNanos) {
    Key key = new Key(pipeline, task, outcome);
    counters.computeIfAbsent(key, this::counter).increment();
    if (tookNanos != null) {
      timers.computeIfAbsent(key, this::timer).record(tookNanos, TimeUnit.NANOSECONDS);
    }
  }

  private Counter counter(Key key) {
    return Counter.builder("pipewright.jobs")
        .description("Jobs that ended, by how")
        .tag("pipeline", key.pipeline())
        .tag("task", key.task())
        .tag("outcome", outcome(key))
        .register(registry);
  }

  private Timer timer(Key key) {
    return Timer.builder("pipewright.job.duration")
        .description("From the start of a job's last attempt to its end")
        .tag("pipeline", key.pipeline())
        .tag("task", key.task())
        .tag("outcome", outcome(key))
        .register(registry);
  }

  private static String outcome(Key key) {
    return key.outcome().name().toLowerCase(Locale.ROOT);
  }
}
