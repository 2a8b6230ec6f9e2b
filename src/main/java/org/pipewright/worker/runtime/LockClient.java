package org.pipewright.worker.runtime;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.pipewright.sdk.HeldLock;

/**
 * The control plane's leased locks (docs/shared-log.md), over the lock channel or the HTTP calls
 * ({@link LockCalls}): {@code acquire} asks for a lock in calls that each wait at most {@value
 * #WAIT_MS} ms, all with the same {@code requestId}, so the control plane keeps the job's place in
 * the queue between them while the job stays cancellable; a {@link LockRenewer} renews what is
 * held; {@link LeasedLock#close} releases it.
 *
 * <p>Not reentrant: a second {@code lock("x")} while this worker holds {@code x} is refused rather
 * than left waiting for ever for itself.
 */
final class LockClient implements LockService {

  /** The lease asked for: renewed every third of it, so two renewals may fail before it ends. */
  static final long LEASE_MS = 30_000;

  /** How long one acquire call waits: also how late a cancel may be noticed. */
  static final long WAIT_MS = 1_000;

  /** Beyond the call's own wait: time for the control plane to answer once it gave up. */
  static final int MARGIN_MS = 10_000;

  private final ControlPlane controlPlane;
  private final LockCalls calls;
  private final long leaseMs;
  private final LongSupplier monotonic;
  private final LockRenewer renewer;
  private final Set<String> heldHere = new HashSet<>();

  /** Over the HTTP calls. */
  LockClient(ControlPlane controlPlane, long leaseMs, LongSupplier monotonic) {
    this(controlPlane, LockCalls.http(controlPlane), leaseMs, monotonic);
  }

  LockClient(ControlPlane controlPlane, LockCalls calls, long leaseMs, LongSupplier monotonic) {
    this.controlPlane = controlPlane;
    this.calls = calls;
    this.leaseMs = leaseMs;
    this.monotonic = monotonic;
    this.renewer = new LockRenewer(calls, monotonic);
  }

  @Override
  public HeldLock acquire(String name, Attempt attempt, AttemptLog log)
      throws InterruptedException {
    if (!LockService.validName(name)) {
      throw new IllegalArgumentException(
          "lock name '" + name + "' is not allowed: use letters, digits, '.', '_' and '-'");
    }
    if (Thread.interrupted() || attempt.cancelled()) {
      throw new InterruptedException("cancelled before taking lock '" + name + "'");
    }
    synchronized (heldHere) {
      if (!heldHere.add(name)) {
        throw new IllegalStateException("lock '" + name + "' is already held by this worker");
      }
    }
    String requestId = UUID.randomUUID().toString();
    boolean granted = false;
    try {
      LeasedLock lock = waitFor(name, requestId, attempt, log);
      granted = true;
      return lock;
    } finally {
      if (!granted) {
        // The control plane may hold a place in the queue for this request, or even have granted
        // it in an answer that was lost: give it up so that nobody waits for a holder that is gone.
        withdraw(name, requestId);
        forget(name);
      }
    }
  }

  private LeasedLock waitFor(String name, String requestId, Attempt attempt, AttemptLog log)
      throws InterruptedException {
    AttemptId id = attempt.id();
    byte[] body =
        new JsonWriter(200)
            .beginObject()
            .name("owner")
            .value(
                "job "
                    + id.jobId()
                    + " attempt "
                    + id.attempt()
                    + " on worker "
                    + controlPlane.workerId())
            .name("requestId")
            .value(requestId)
            .name("leaseMs")
            .value(leaseMs)
            .name("waitMs")
            .value(WAIT_MS)
            .endObject()
            .toBytes();
    Backoff trouble = new Backoff("taking lock '" + name + "'");
    while (true) {
      if (Thread.interrupted() || attempt.cancelled()) {
        throw new InterruptedException("cancelled while waiting for lock '" + name + "'");
      }
      long sentAt = monotonic.getAsLong();
      HttpAnswer answer;
      try {
        answer = calls.call("acquire", name, body, (int) WAIT_MS + MARGIN_MS);
      } catch (UnreachableException e) {
        trouble.failed(e);
        trouble.pause();
        continue;
      }
      int status = answer.status();
      if (answer.ok()) {
        trouble.succeeded();
        return granted(name, answer, sentAt, attempt, log);
      }
      if (status == 409 && "lock-wait-timeout".equals(answer.problemType())) {
        // Still queued: ask again with the same requestId, which keeps the place.
        continue;
      }
      RefusedException refused = new RefusedException("acquire", status, answer.body());
      if (status == 401 || status == 408 || status == 409 || status == 429) {
        trouble.failed(refused);
        trouble.pause();
        continue;
      }
      throw new IllegalStateException("lock '" + name + "' was refused: " + refused.getMessage());
    }
  }

  private LeasedLock granted(
      String name, HttpAnswer answer, long sentAt, Attempt attempt, AttemptLog log) {
    long token;
    long granted;
    try {
      Map<String, Object> json = JsonReader.parseObject(answer.body());
      token = Fields.requireLong(json, "token");
      granted = Fields.optLong(json, "leaseMs", leaseMs);
    } catch (JsonException e) {
      throw new IllegalStateException(
          "lock '" + name + "': unexpected answer to acquire: " + e.getMessage());
    }
    LeasedLock lock = new LeasedLock(this, name, token, granted, attempt, log);
    log.locked(lock);
    // The grant is no older than the call: its lease runs from no earlier than sentAt.
    renewer.hold(lock, sentAt);
    return lock;
  }

  /** Asks the control plane to forget an acquire that will not be waited for any more. */
  private void withdraw(String name, String requestId) {
    byte[] body =
        new JsonWriter(64).beginObject().name("requestId").value(requestId).endObject().toBytes();
    try {
      calls.call("release", name, body, MARGIN_MS);
    } catch (UnreachableException e) {
      // The waiter's place lapses on the control plane, and a lost grant's lease expires.
      WorkerLog.warn("could not withdraw the request for lock '" + name + "': " + e.getMessage());
    }
  }

  /** Stops renewing a lock that is being released or was lost. */
  void stopRenewing(LeasedLock lock) {
    renewer.drop(lock);
  }

  /**
   * Releases a grant: {@code release {token}}, sent again while the control plane cannot be reached
   * and the lease may still run, unless the job is being stopped. Over the lock channel the release
   * is quiet: the job goes on at once, and hears only of a refusal.
   *
   * @param refusal hears of a refusal, perhaps later and on another thread
   */
  void release(LeasedLock lock, Consumer<HttpAnswer> refusal) {
    byte[] body =
        new JsonWriter(48).beginObject().name("token").value(lock.token()).endObject().toBytes();
    long giveUpAt = monotonic.getAsLong() + lock.leaseMs();
    Backoff trouble = new Backoff("releasing lock '" + lock.name() + "'");
    while (true) {
      try {
        calls.releaseQuietly(lock.name(), body, MARGIN_MS, refusal);
        return;
      } catch (UnreachableException e) {
        trouble.failed(e);
        if (lock.stopping() || monotonic.getAsLong() >= giveUpAt) {
          return;
        }
      }
      try {
        trouble.pause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The name is free again for this worker. */
  void forget(String name) {
    synchronized (heldHere) {
      heldHere.remove(name);
    }
  }
}
