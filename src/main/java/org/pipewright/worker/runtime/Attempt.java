package org.pipewright.worker.runtime;

import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * An attempt the worker has started, and the one handle through which any thread cancels it. The
 * runner attaches what it starts (a process or a thread); a cancel that comes before that is
 * honoured the moment it is attached. Cancelling never blocks: a shell job's process tree is killed
 * on a thread of its own, SIGTERM first and SIGKILL after {@link ProcessTree#GRACE_MS}.
 */
final class Attempt {

  /** How long a cancelled Java job may run on after its interrupt before the worker gives up. */
  static final long JAVA_STOP_MS = 5_000;

  final JobSpec spec;
  final long startedAt;
  private final LongSupplier monotonic;
  private final long javaStopMs;
  private volatile @Nullable String cancelReason;
  private long cancelledAt;
  private @Nullable ProcessHandle process;
  private @Nullable Thread killer;
  private @Nullable Thread thread;
  private boolean threadDone;
  private boolean launching;
  private volatile boolean ranToEnd;

  Attempt(JobSpec spec, long startedAt, LongSupplier monotonic) {
    this(spec, startedAt, monotonic, JAVA_STOP_MS);
  }

  Attempt(JobSpec spec, long startedAt, LongSupplier monotonic, long javaStopMs) {
    this.spec = spec;
    this.startedAt = startedAt;
    this.monotonic = monotonic;
    this.javaStopMs = javaStopMs;
  }

  AttemptId id() {
    return spec.id();
  }

  boolean cancelled() {
    return cancelReason != null;
  }

  /**
   * Marks that the job itself ended before any cancel: what is left (storing its log, reporting it)
   * is the worker's. A cancel after this kills nothing, and the result is still reported: the
   * control plane, not the worker, knows whether it still wants it.
   *
   * @return false when a cancel came first
   */
  synchronized boolean endedByItself() {
    if (cancelReason != null) {
      return false;
    }
    ranToEnd = true;
    return true;
  }

  /** Whether the job ended by itself; see {@link #endedByItself}. */
  boolean ranToEnd() {
    return ranToEnd;
  }

  /** A result to report: the attempt was not cancelled, or its job had ended before the cancel. */
  boolean worthReporting() {
    return ranToEnd || cancelReason == null;
  }

  @Nullable String cancelReason() {
    return cancelReason;
  }

  /** Waits up to {@code millis} for a cancel; whether one came. */
  synchronized boolean awaitCancel(long millis) throws InterruptedException {
    long deadline = monotonic.getAsLong() + millis;
    while (cancelReason == null) {
      long left = deadline - monotonic.getAsLong();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /** Cancels the attempt; false when it was cancelled already. */
  synchronized boolean cancel(String reason) {
    if (cancelReason != null) {
      return false;
    }
    cancelReason = reason;
    cancelledAt = monotonic.getAsLong();
    if (process != null) {
      startKiller();
    }
    if (thread != null && !threadDone) {
      // Never once the job is done: the thread may run the next job by now.
      thread.interrupt();
    }
    notifyAll();
    return true;
  }

  /**
   * Announces that the runner is about to start a process or thread, so that {@link #awaitStopped}
   * waits for it to be attached.
   *
   * @return false when the attempt is cancelled already: start nothing
   */
  synchronized boolean beginLaunch() {
    if (cancelReason != null) {
      return false;
    }
    launching = true;
    return true;
  }

  /** The launch announced by {@link #beginLaunch} did not happen. */
  synchronized void launchFailed() {
    launching = false;
    notifyAll();
  }

  /**
   * Attaches a shell job's process; a null process is one that has ended already. An attempt
   * cancelled meanwhile has it killed at once.
   */
  synchronized void attach(@Nullable ProcessHandle started) {
    process = started;
    launching = false;
    notifyAll();
    if (cancelReason != null) {
      startKiller();
    }
  }

  /** Waits until the killing a cancel started is over, so nothing of the job survives. */
  void awaitKilled() throws InterruptedException {
    Thread current;
    synchronized (this) {
      current = killer;
    }
    if (current != null) {
      current.join();
    }
  }

  /** Attaches a Java job's thread before it is started; a cancelled attempt interrupts it. */
  synchronized void attach(Thread started) {
    thread = started;
    launching = false;
    notifyAll();
    if (cancelReason != null) {
      started.interrupt();
    }
  }

  /** Called by the Java job's thread as it ends. */
  synchronized void threadDone() {
    threadDone = true;
    notifyAll();
  }

  /**
   * Waits for the Java job's thread to end.
   *
   * @return false when it was cancelled and did not end within {@link #JAVA_STOP_MS} (by default)
   */
  synchronized boolean awaitThread() throws InterruptedException {
    while (!threadDone) {
      if (cancelReason == null) {
        wait();
      } else {
        long left = cancelledAt + javaStopMs - monotonic.getAsLong();
        if (left <= 0) {
          return false;
        }
        wait(left);
      }
    }
    return true;
  }

  /**
   * Waits until a cancelled attempt has stopped, for the paths that exit the worker: its process
   * tree is dead, or its thread has ended or is given up on after {@link #JAVA_STOP_MS}.
   */
  void awaitStopped() throws InterruptedException {
    boolean java;
    synchronized (this) {
      long deadline = monotonic.getAsLong() + 1_000;
      while (launching && monotonic.getAsLong() < deadline) {
        wait(100);
      }
      java = thread != null;
    }
    if (java) {
      awaitThread();
    } else {
      awaitKilled();
    }
  }

  private void startKiller() {
    if (killer != null || process == null) {
      return;
    }
    Thread kill = new Thread(new ProcessTree.Killer(process), "kill-" + id());
    kill.setDaemon(true);
    killer = kill;
    kill.start();
  }

  long javaStopMs() {
    return javaStopMs;
  }

  @Override
  public String toString() {
    return spec.toString();
  }
}
