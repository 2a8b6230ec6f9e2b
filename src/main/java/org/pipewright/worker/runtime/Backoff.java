package org.pipewright.worker.runtime;

/**
 * Pauses between failed calls, from {@value #FIRST_MS} ms doubling to {@value #MAX_MS} ms, and logs
 * a streak of failures once at its start and once at its end instead of once per call.
 */
final class Backoff {

  static final long FIRST_MS = 50;
  static final long MAX_MS = 2_000;

  private final String what;
  private long delay = FIRST_MS;
  private int failures;

  Backoff(String what) {
    this.what = what;
  }

  void failed(Exception e) {
    if (failures++ == 0) {
      WorkerLog.warn(what + " failed, retrying: " + e.getMessage());
    }
  }

  void succeeded() {
    if (failures > 0) {
      WorkerLog.info(what + " works again after " + failures + " failed calls");
    }
    failures = 0;
    delay = FIRST_MS;
  }

  void pause() throws InterruptedException {
    Thread.sleep(delay);
    delay = Math.min(MAX_MS, delay * 2);
  }
}
