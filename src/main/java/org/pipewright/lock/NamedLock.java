package org.pipewright.lock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One lock: its current grant and its waiters in arrival order. Each lock has its own mutex, so
 * callers of different locks never wait for each other; every method here needs it held.
 *
 * <p>A request is known by its key (principal and requestId): the holder's key makes a repeated
 * acquire return the same grant, a waiter's key lets a repeat resume in the same place.
 */
final class NamedLock {

  final String name;
  final ReentrantLock mutex = new ReentrantLock();
  private final Granting granting;
  private @Nullable Holder holder;
  private final LinkedHashMap<String, Waiter> waiters = new LinkedHashMap<>();

  /**
   * What to tell pending acquires once the mutex is let go: a grant or a withdrawal made under it.
   * Told outside it, so that sending an answer never holds up the lock.
   */
  private final List<Runnable> notices = new ArrayList<>();

  /** Forgotten: taken out of the table; a caller that still found it looks again. */
  boolean retired;

  NamedLock(String name, Granting granting) {
    this.name = name;
    this.granting = granting;
  }

  /** The current grant. */
  static final class Holder {
    final String key;
    final String owner;
    final String principal;
    final long token;
    long leaseMs;
    Instant expiresAt;

    Holder(String key, String owner, String principal, long token, long leaseMs, Instant now) {
      this.key = key;
      this.owner = owner;
      this.principal = principal;
      this.token = token;
      this.leaseMs = leaseMs;
      this.expiresAt = now.plusMillis(leaseMs);
    }
  }

  /**
   * An acquire that waits. Its threads (a repeat may wait beside the first call) sleep on {@link
   * #turn}, and its {@link #pending} acquires wait without one; the handoff sets {@link #grant},
   * signals the threads and tells the pending. With neither attached it keeps its place until
   * {@link #placeKeptUntil}.
   */
  static final class Waiter {
    final String key;
    final String requestId;
    final String principal;
    final Condition turn;
    final List<PendingAcquire> pending = new ArrayList<>(1);
    String owner;
    long leaseMs;
    int attached;
    @Nullable Instant placeKeptUntil;
    @Nullable Grant grant;
    boolean withdrawn;

    Waiter(
        String key,
        String requestId,
        String owner,
        String principal,
        long leaseMs,
        Condition turn) {
      this.key = key;
      this.requestId = requestId;
      this.owner = owner;
      this.principal = principal;
      this.leaseMs = leaseMs;
      this.turn = turn;
    }
  }

  /** How many of this lock's grant and waiters are the principal's (its mutex held). */
  int claimsBy(String principal) {
    int claims = holder != null && holder.principal.equals(principal) ? 1 : 0;
    for (Waiter waiter : waiters.values()) {
      if (waiter.principal.equals(principal)) {
        claims++;
      }
    }
    return claims;
  }

  @Nullable Holder holder() {
    return holder;
  }

  @Nullable Waiter waiter(String key) {
    return waiters.get(key);
  }

  boolean idle() {
    return holder == null && waiters.isEmpty();
  }

  /** Applies the clock: an expired lease passes to the next waiter, lapsed places are dropped. */
  void settle(Instant now) {
    if (holder != null && !now.isBefore(holder.expiresAt)) {
      handOff(now);
    }
    if (!waiters.isEmpty()) {
      waiters.values().removeIf(w -> lapsed(w, now));
    }
  }

  /** Grants the lock, which must be free with nobody waiting. */
  Grant grant(String key, String owner, String principal, long leaseMs, Instant now) {
    Holder granted = new Holder(key, owner, principal, granting.tokens.next(), leaseMs, now);
    holder = granted;
    granting.expiries.scheduled(granted.expiresAt);
    return grantOf(granted);
  }

  /** Sets the holder's lease to {@code leaseMs} from now. */
  Grant extend(Holder current, long leaseMs, Instant now) {
    current.leaseMs = leaseMs;
    current.expiresAt = now.plusMillis(leaseMs);
    granting.expiries.scheduled(current.expiresAt);
    return grantOf(current);
  }

  Grant grantOf(Holder current) {
    return new Grant(name, current.token, current.expiresAt, current.leaseMs);
  }

  Waiter enqueue(String key, String requestId, String owner, String principal, long leaseMs) {
    Waiter waiter = new Waiter(key, requestId, owner, principal, leaseMs, mutex.newCondition());
    waiters.put(key, waiter);
    return waiter;
  }

  /**
   * Ends the current grant and hands the lock straight to the first waiter that still has its
   * place, waking its threads. A waiter that timed out and has not come back gets a lease of at
   * most the grace: its repeat finds the grant, and without one the lock is soon free again.
   */
  void handOff(Instant now) {
    holder = null;
    Iterator<Waiter> queue = waiters.values().iterator();
    while (queue.hasNext()) {
      Waiter next = queue.next();
      queue.remove();
      if (lapsed(next, now)) {
        continue;
      }
      long lease =
          next.placeKeptUntil == null ? next.leaseMs : Math.min(next.leaseMs, granting.graceMs);
      Grant granted = grant(next.key, next.owner, next.principal, lease, now);
      next.grant = granted;
      next.turn.signalAll();
      for (PendingAcquire pending : next.pending) {
        notices.add(() -> pending.granted(granted));
      }
      next.pending.clear();
      return;
    }
  }

  /** Takes a waiter out of the queue; its waiting threads give up. */
  void withdraw(Waiter waiter) {
    waiters.remove(waiter.key);
    waiter.withdrawn = true;
    waiter.turn.signalAll();
    for (PendingAcquire pending : waiter.pending) {
      LockNotHeldException withdrawn = LockNotHeldException.withdrawn(name, waiter.requestId);
      notices.add(() -> pending.failed(withdrawn));
    }
    waiter.pending.clear();
  }

  /** Adds a pending acquire to a waiter: it holds the waiter's place as a thread would. */
  void attach(Waiter waiter, PendingAcquire pending) {
    waiter.pending.add(pending);
    waiter.placeKeptUntil = null;
  }

  /**
   * Takes a pending acquire off its waiter when its wait is up.
   *
   * @return whether it was still waiting there
   */
  boolean giveUp(Waiter waiter, PendingAcquire pending, Instant now) {
    if (!waiter.pending.remove(pending)) {
      return false;
    }
    detach(waiter, now);
    return true;
  }

  /** The notices gathered under the mutex, handed over to be told once it is let go. */
  List<Runnable> takeNotices() {
    if (notices.isEmpty()) {
      return List.of();
    }
    List<Runnable> taken = List.copyOf(notices);
    notices.clear();
    return taken;
  }

  /** Withdraws every waiter of the principal. */
  void withdrawWaitersOf(String principal) {
    for (Waiter waiter : waiters.values().toArray(Waiter[]::new)) {
      if (LockManager.fallsUnder(waiter.principal, principal)) {
        withdraw(waiter);
      }
    }
  }

  /**
   * Called as a thread or pending acquire of a waiter stops waiting without a grant: the last to go
   * leaves the place kept for the grace.
   */
  void detach(Waiter waiter, Instant now) {
    if (waiter.attached == 0
        && waiter.pending.isEmpty()
        && waiter.grant == null
        && !waiter.withdrawn) {
      waiter.placeKeptUntil = now.plusMillis(granting.graceMs);
    }
  }

  @Nullable LockView view() {
    Holder current = holder;
    if (current == null) {
      return null;
    }
    return new LockView(
        name, current.owner, current.principal, current.token, current.expiresAt, waiters.size());
  }

  private static boolean lapsed(Waiter waiter, Instant now) {
    return waiter.placeKeptUntil != null && !now.isBefore(waiter.placeKeptUntil);
  }
}
