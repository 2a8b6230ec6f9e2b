package org.pipewright.worker.runtime;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import org.jspecify.annotations.Nullable;
import org.pipewright.sdk.Job;

/**
 * {@code java}: a fresh instance of the job's class, {@link Job#run} with an {@link AttemptContext}
 * on the worker's {@link JobThread}, never on the run loop's. A cancel interrupts the thread; one
 * that still runs {@link Attempt#JAVA_STOP_MS} later makes the worker exit, the only way to stop
 * it.
 */
final class JavaRunner implements JobRunner {

  /** An error longer than this is cut: the stack trace is in the shared log. */
  static final int MAX_ERROR = 2_000;

  private final JobClasses classes;
  private final LogSink logs;
  private final LockService locks;
  private final JobThread jobThread = new JobThread();

  JavaRunner(JobClasses classes, LogSink logs, LockService locks) {
    this.classes = classes;
    this.logs = logs;
    this.locks = locks;
  }

  @Override
  public RunResult run(Attempt attempt, JobFiles files)
      throws InterruptedException, JobWouldNotStopException {
    String className = attempt.spec.className();
    if (className == null) {
      return RunResult.failed(null, "java job without a className");
    }
    Constructor<? extends Job> constructor;
    try {
      constructor = classes.constructor(className);
    } catch (JobClassException e) {
      return RunResult.failed(null, e.getMessage());
    }
    AttemptContext context = new AttemptContext(attempt, files, logs.open(attempt), locks);
    JobTask task = new JobTask(attempt, constructor, context);
    if (!attempt.beginLaunch()) {
      return RunResult.failed(null, "cancelled before it started");
    }
    Thread thread = jobThread.next();
    thread.setContextClassLoader(constructor.getDeclaringClass().getClassLoader());
    attempt.attach(thread);
    jobThread.run(task);
    if (!attempt.awaitThread()) {
      jobThread.abandon();
      throw new JobWouldNotStopException(attempt);
    }
    Throwable failure = task.failure;
    return failure == null ? RunResult.OK : RunResult.failed(null, describe(failure));
  }

  /** The exception's class and message, as the attempt's error. */
  static String describe(Throwable failure) {
    String message = failure.getMessage();
    String text = failure.getClass().getName() + (message == null ? "" : ": " + message);
    return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR) + "...";
  }

  /** One attempt on the {@link JobThread}: a fresh instance, {@code run}, clean up, signal. */
  private static final class JobTask implements Runnable {
    private final Attempt attempt;
    private final Constructor<? extends Job> constructor;
    private final AttemptContext context;
    volatile @Nullable Throwable failure;

    JobTask(Attempt attempt, Constructor<? extends Job> constructor, AttemptContext context) {
      this.attempt = attempt;
      this.constructor = constructor;
      this.context = context;
    }

    @Override
    public void run() {
      try {
        if (attempt.cancelled()) {
          throw new InterruptedException("cancelled before it started");
        }
        Job job;
        try {
          job = constructor.newInstance();
        } catch (InvocationTargetException e) {
          throw e.getCause() == null ? e : e.getCause();
        }
        job.run(context);
      } catch (Throwable e) {
        failure = e;
        if (!attempt.cancelled()) {
          context.log().error("job failed", e);
        }
      } finally {
        context.close();
        attempt.threadDone();
      }
    }
  }
}
