package org.pipewright.worker.runtime;

import org.jspecify.annotations.Nullable;

/**
 * The thread Java jobs run on, one job at a time, kept between jobs: starting a thread costs a
 * worker about as much as a no-op job itself. A job that would not stop keeps its thread; {@link
 * #abandon} makes the next job start a new one.
 */
final class JobThread {

  private @Nullable Runner current;

  /**
   * The thread the next job will run on, started if needed: attach it to the attempt before {@link
   * #run}, so that a cancel can interrupt it.
   */
  synchronized Thread next() {
    if (current == null) {
      current = new Runner();
    }
    return current.thread;
  }

  /** Hands a job to the thread {@link #next} returned. */
  synchronized void run(Runnable job) {
    next();
    current.hand(job);
  }

  /** The job on the current thread would not stop: leave the thread to it. */
  synchronized void abandon() {
    current = null;
  }

  private static final class Runner implements Runnable {
    final Thread thread;
    private @Nullable Runnable job;

    Runner() {
      thread = new Thread(this, "pipewright-job");
      thread.setDaemon(true);
      thread.start();
    }

    synchronized void hand(Runnable next) {
      job = next;
      notifyAll();
    }

    @Override
    public void run() {
      while (true) {
        Runnable next;
        synchronized (this) {
          while (job == null) {
            try {
              wait();
            } catch (InterruptedException e) {
              // An interrupt meant for a job that has just ended: nobody to give it to.
            }
          }
          next = job;
          job = null;
        }
        // Whatever interrupt the previous job left unread is not this job's.
        Thread.interrupted();
        next.run();
      }
    }
  }
}
