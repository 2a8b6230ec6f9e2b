package org.pipewright;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A task that runs at a fixed delay on a daemon thread of its own while the application runs. A
 * failure is logged and the task runs again at its next turn: housekeeping must not stop for good
 * because one round failed.
 */
public final class Periodic implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(Periodic.class);

  private final String name;
  private final Duration first;
  private final Duration every;
  private final Runnable task;
  private ScheduledExecutorService timer;

  /**
   * @param name the thread's name, also in the log when a round fails
   * @param first the delay before the first round
   * @param every the delay between the end of one round and the start of the next
   */
  public Periodic(String name, Duration first, Duration every, Runnable task) {
    this.name = name;
    this.first = first;
    this.every = every;
    this.task = task;
  }

  @Override
  public synchronized void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name(name).daemon().factory());
    timer.scheduleWithFixedDelay(
        this::round, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void round() {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.warn("{} failed; it runs again in {}", name, every, e);
    }
  }

  @Override
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return timer != null;
  }
}
