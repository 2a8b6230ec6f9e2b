package org.pipewright.worker.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Forwards the stdout and stderr of running shell jobs to the shared log while they run: one
 * thread, {@code pipewright-tail}, looks at the output files of every running attempt every {@value
 * #POLL_MS} ms and reads only what was added. The job still writes straight into its files (never
 * into a pipe someone must read), so a slow shared log never slows it down. A job that prints
 * nothing costs two {@code stat}s per look and two at its end; the thread starts with the first
 * shell job and sleeps while none runs. While jobs keep coming it looks on its own clock, and a job
 * that starts does not wake it: quick jobs would otherwise cost it a wake-up each.
 */
final class ShellOutput implements Runnable {

  static final long POLL_MS = 100;

  private final SharedLogClient log;
  private final LongSupplier wall;
  private final long limit;
  private final List<Watch> watched = new ArrayList<>();
  private @Nullable Thread thread;

  /** Whether the thread waits for a job to start, not for its next look. */
  private boolean idle;

  /** Forwards at most {@code limit} bytes of each file ({@link JobLimits#maxOutputBytes}). */
  ShellOutput(SharedLogClient log, LongSupplier wall, long limit) {
    this.log = log;
    this.wall = wall;
    this.limit = limit;
  }

  /** The output files of one running attempt. */
  static final class Watch {
    private final TailedFile stdout;
    private final TailedFile stderr;
    private boolean finished;

    private Watch(TailedFile stdout, TailedFile stderr) {
      this.stdout = stdout;
      this.stderr = stderr;
    }

    private synchronized void poll() {
      if (!finished) {
        stdout.poll();
        stderr.poll();
      }
    }

    private synchronized void finish() {
      if (!finished) {
        finished = true;
        stdout.finish();
        stderr.finish();
      }
    }
  }

  /** Starts forwarding the output of a job that has just started. */
  Watch watch(JobSpec spec, Path stdout, Path stderr) {
    Watch watch =
        new Watch(
            new TailedFile(stdout.toFile(), "stdout", spec, log, wall, limit),
            new TailedFile(stderr.toFile(), "stderr", spec, log, wall, limit));
    synchronized (this) {
      watched.add(watch);
      if (thread == null) {
        thread = new Thread(this, "pipewright-tail");
        thread.setDaemon(true);
        thread.start();
      } else if (idle) {
        idle = false;
        notifyAll();
      }
    }
    return watch;
  }

  /**
   * The job has ended: forwards the rest of its output, on the caller's thread, and stops looking
   * at its files. Once it returns, every line is with the {@link SharedLogClient}.
   */
  void drain(Watch watch) {
    synchronized (this) {
      watched.remove(watch);
    }
    watch.finish();
  }

  @Override
  public void run() {
    List<Watch> now = new ArrayList<>();
    try {
      while (true) {
        synchronized (this) {
          wait(POLL_MS);
          boolean slept = false;
          while (watched.isEmpty()) {
            idle = true;
            wait();
            slept = true;
          }
          if (slept) {
            continue; // woken by a job that just started: its first look is a full wait away
          }
          now.addAll(watched);
        }
        for (Watch watch : now) {
          watch.poll();
        }
        now.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
