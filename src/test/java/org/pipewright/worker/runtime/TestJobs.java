package org.pipewright.worker.runtime;

import java.nio.file.Files;
import org.pipewright.sdk.HeldLock;
import org.pipewright.sdk.Job;
import org.pipewright.sdk.JobContext;

/** Java jobs for the tests, loaded by name as a worker loads any job class. */
final class TestJobs {

  private TestJobs() {}

  /** Throws. */
  public static final class Failing implements Job {
    @Override
    public void run(JobContext context) {
      throw new IllegalStateException("the input was empty");
    }
  }

  /** Writes what its context says into its first output. */
  public static final class Describing implements Job {
    @Override
    public void run(JobContext context) throws Exception {
      Files.writeString(
          context.output(0),
          String.join(
              "\n",
              context.pipeline(),
              context.task(),
              Long.toString(context.runId()),
              Long.toString(context.jobId()),
              Integer.toString(context.attempt()),
              context.workdir().toString(),
              context.inputs().toString(),
              context.outputs().toString(),
              context.extras().toString(),
              context.input(0).toString()));
    }
  }

  /** How long a message {@link Logging} writes last is. */
  static final int LONG_MESSAGE = 20_000;

  /**
   * Logs at every level, with a stack trace that has a cause, then a message longer than the shared
   * log keeps.
   */
  public static final class Logging implements Job {
    @Override
    public void run(JobContext context) {
      context.log().debug("debug line");
      context.log().info("info line");
      context.log().warn("warn line");
      context
          .log()
          .error(
              "error line",
              new IllegalArgumentException("why", new IllegalStateException("because")));
      context.log().info("x".repeat(LONG_MESSAGE));
    }
  }

  /**
   * Takes the lock {@code logging}, logs two records, waits as many ms as its first extra says,
   * logs again, and lets go.
   */
  public static final class LoggingUnderLock implements Job {
    @Override
    public void run(JobContext context) throws Exception {
      try (HeldLock held = context.lock("logging")) {
        context.log().info("one entry,");
        context.log().info("kept together");
        Thread.sleep(Long.parseLong(context.extras().get(0)));
        context.log().info("after the wait");
      }
    }
  }

  /** Waits until interrupted, as a well-behaved long job does. */
  public static final class Sleeping implements Job {
    @Override
    public void run(JobContext context) throws Exception {
      Files.writeString(context.workdir().resolve("started"), "yes");
      Thread.sleep(300_000);
    }
  }

  /** Ignores interrupts. */
  public static final class Stubborn implements Job {
    @Override
    public void run(JobContext context) throws Exception {
      Files.writeString(context.workdir().resolve("started"), "yes");
      long until = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
    }
  }

  /** Waits for the lock {@code shared}, records its token. */
  public static final class Locking implements Job {
    @Override
    public void run(JobContext context) throws Exception {
      Files.writeString(context.workdir().resolve("waiting"), "yes");
      try (HeldLock held = context.lock("shared")) {
        Files.writeString(context.output(0), Long.toString(held.token()));
      }
    }
  }

  /** Takes a lock and forgets to release it. */
  public static final class Forgetful implements Job {
    @Override
    public void run(JobContext context) throws Exception {
      context.lock("shared");
    }
  }

  /** Is no job. */
  public static final class NotAJob {}

  /** Cannot be made without an argument. */
  public static final class NeedsArgument implements Job {
    public NeedsArgument(String unused) {}

    @Override
    public void run(JobContext context) {}
  }
}
