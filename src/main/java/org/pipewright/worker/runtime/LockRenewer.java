package org.pipewright.worker.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Renews every lock the worker's jobs hold, a third of the lease after it was granted or last
 * renewed, on the thread {@code pipewright-locks}, started with the first grant (a worker whose
 * jobs take no lock never starts it). A renewal the control plane refuses ({@code lock-not-held})
 * means the lease ran out: the lock is lost, and the job's log says so. One that got no answer is
 * tried again soon, while the lease may still run.
 */
final class LockRenewer implements Runnable {

  private static final long RETRY_MS = 250;

  private final LockCalls calls;
  private final LongSupplier monotonic;
  private final Backoff trouble = new Backoff("renewing locks");

  /** When each held lock is to be renewed next, on the monotonic clock. */
  private final Map<LeasedLock, Long> renewAt = new HashMap<>();

  private @Nullable Thread thread;

  LockRenewer(LockCalls calls, LongSupplier monotonic) {
    this.calls = calls;
    this.monotonic = monotonic;
  }

  /** Renews the lock from now on; its lease runs from {@code grantedAt} or later. */
  synchronized void hold(LeasedLock lock, long grantedAt) {
    renewAt.put(lock, grantedAt + lock.leaseMs() / 3);
    if (thread == null) {
      thread = new Thread(this, "pipewright-locks");
      thread.setDaemon(true);
      thread.start();
    }
    notifyAll();
  }

  synchronized void drop(LeasedLock lock) {
    renewAt.remove(lock);
    notifyAll();
  }

  @Override
  public void run() {
    try {
      while (true) {
        renew(next());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized LeasedLock next() throws InterruptedException {
    while (true) {
      LeasedLock first = null;
      long at = Long.MAX_VALUE;
      for (Map.Entry<LeasedLock, Long> entry : renewAt.entrySet()) {
        if (entry.getValue() < at) {
          first = entry.getKey();
          at = entry.getValue();
        }
      }
      if (first == null) {
        wait();
        continue;
      }
      long wait = at - monotonic.getAsLong();
      if (wait <= 0) {
        return first;
      }
      wait(wait);
    }
  }

  private void renew(LeasedLock lock) {
    byte[] body =
        new JsonWriter(64)
            .beginObject()
            .name("token")
            .value(lock.token())
            .name("leaseMs")
            .value(lock.leaseMs())
            .endObject()
            .toBytes();
    int timeoutMs = (int) Math.max(1_000, Math.min(10_000, lock.leaseMs() / 3));
    long sentAt = monotonic.getAsLong();
    HttpAnswer answer;
    try {
      answer = calls.call("renew", lock.name(), body, timeoutMs);
    } catch (UnreachableException e) {
      trouble.failed(e);
      schedule(lock, monotonic.getAsLong() + RETRY_MS);
      return;
    }
    int status = answer.status();
    if (answer.ok()) {
      trouble.succeeded();
      schedule(lock, sentAt + lock.leaseMs() / 3);
      return;
    }
    RefusedException refused = new RefusedException("renew", status, answer.body());
    boolean passing = status == 401 || status == 408 || status == 429;
    if (passing || (status == 409 && !"lock-not-held".equals(answer.problemType()))) {
      trouble.failed(refused);
      schedule(lock, monotonic.getAsLong() + RETRY_MS);
      return;
    }
    drop(lock);
    lock.lost("the control plane refused to renew it (" + refused.getMessage() + ")");
  }

  /** The next renewal, unless the lock was released meanwhile. */
  private synchronized void schedule(LeasedLock lock, long at) {
    if (renewAt.containsKey(lock)) {
      renewAt.put(lock, at);
    }
  }
}
