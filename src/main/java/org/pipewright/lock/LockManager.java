package org.pipewright.lock;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.pipewright.PipewrightException;
import org.pipewright.lock.NamedLock.Holder;
import org.pipewright.lock.NamedLock.Waiter;

/**
 * Named leased locks with fencing tokens, held in the control plane's memory ({@code
 * docs/shared-log.md}, "Locks"). Waiters are served in arrival order; a lease that is not renewed
 * ends on the injected clock, noticed by every call on the lock and by a timer that calls {@link
 * #expireDue()}; the lock then goes straight to the next waiter, whose thread is woken directly.
 *
 * <p>Each lock has its own mutex and nothing is stored per grant: only the epoch, once per start,
 * comes from the database. A lock that nobody holds or waits for is forgotten.
 *
 * <p>A request is known by its caller's principal and its {@code requestId}, so one caller cannot
 * pick up another's grant or place by reusing its requestId. A token acts only for the principal it
 * was granted to, or for the admin.
 */
public class LockManager {

  /** The admin's principal: it may renew and release any grant (an operator breaking a lock). */
  static final String ADMIN = "admin";

  private final ConcurrentHashMap<String, NamedLock> locks = new ConcurrentHashMap<>();
  private final Function<String, NamedLock> newLock;
  private final Granting granting;
  private final LockProperties properties;
  private final Clock clock;
  private volatile LockObserver observer = (name, waitedNanos) -> {};
  private final List<Consumer<String>> endings = new CopyOnWriteArrayList<>();

  LockManager(LockEpochs epochs, Clock clock, LockProperties properties) {
    this(new FencingTokens(epochs), clock, properties);
  }

  LockManager(FencingTokens tokens, Clock clock, LockProperties properties) {
    this.granting = new Granting(tokens, properties.requeueGrace().toMillis());
    this.newLock = name -> new NamedLock(name, granting);
    this.properties = properties;
    this.clock = clock;
  }

  /** Who hears how long each grant was waited for: the metrics. */
  public void observe(LockObserver observer) {
    this.observer = observer;
  }

  /**
   * Who hears of every principal whose locks {@link #releaseHeldBy} ended: the lock channel, which
   * closes that principal's sockets, so a worker declared lost takes no lock through a socket it
   * opened before.
   */
  public void onEnded(Consumer<String> ending) {
    endings.add(ending);
  }

  /** How many locks have a holder now. */
  public int heldCount() {
    int held = 0;
    for (NamedLock lock : locks.values()) {
      if (lock.holder() != null) {
        held++;
      }
    }
    return held;
  }

  /**
   * Takes the lock, waiting up to {@code waitMs} behind earlier waiters. Repeating the acquire
   * (same principal and requestId) while its grant is current returns that grant with its lease set
   * to {@code leaseMs} from now; repeating it while it waits, or within the requeue grace after it
   * timed out, resumes waiting in the same place.
   *
   * @param waitMs how long to wait; 0 only tries
   * @return the grant
   * @throws LockWaitTimeoutException when {@code waitMs} passed first
   * @throws LockNotHeldException when the request was withdrawn while it waited
   * @throws InvalidLockRequestException for a bad name or a field out of bounds
   */
  public Grant acquire(
      String name, String owner, String requestId, long leaseMs, long waitMs, String principal) {
    long started = System.nanoTime();
    Grant grant = take(name, owner, requestId, leaseMs, waitMs, principal);
    observer.waited(name, System.nanoTime() - started);
    return grant;
  }

  private Grant take(
      String name, String owner, String requestId, long leaseMs, long waitMs, String principal) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    Start start = start(name, owner, requestId, leaseMs, waitMs, principal);
    NamedLock lock = start.lock();
    try {
      if (start.grant() != null) {
        return start.grant();
      }
      return await(lock, start.waiter(), deadline, waitMs);
    } finally {
      unlock(lock);
    }
  }

  /**
   * Takes the lock as {@link #acquire(String, String, String, long, long, String)} does, without a
   * thread that waits: {@code pending} hears of the grant or the refusal, on this thread when it
   * comes at once. A waiting acquire stays queued until its grant, a withdrawal, or its caller
   * gives it up once {@code waitMs} has passed.
   *
   * @return how to give up the wait, or null when {@code pending} was answered already
   */
  public @Nullable Runnable acquire(
      String name,
      String owner,
      String requestId,
      long leaseMs,
      long waitMs,
      String principal,
      PendingAcquire pending) {
    long started = System.nanoTime();
    PendingAcquire observed =
        new PendingAcquire() {
          @Override
          public void granted(Grant grant) {
            observer.waited(name, System.nanoTime() - started);
            pending.granted(grant);
          }

          @Override
          public void failed(PipewrightException problem) {
            pending.failed(problem);
          }
        };
    Start start;
    try {
      start = start(name, owner, requestId, leaseMs, waitMs, principal);
    } catch (PipewrightException e) {
      pending.failed(e);
      return null;
    }
    NamedLock lock = start.lock();
    Waiter waiter = start.waiter();
    try {
      if (waiter != null) {
        lock.attach(waiter, observed);
      }
    } finally {
      unlock(lock);
    }
    if (waiter == null) {
      observed.granted(start.grant());
      return null;
    }
    return () -> giveUp(name, waiter, observed, waitMs);
  }

  /**
   * Ends the wait of a pending acquire whose time is up: it hears it timed out, and its request
   * keeps its place in the queue for the grace, as a thread's would. Nothing happens when it was
   * answered meanwhile.
   */
  private void giveUp(String name, Waiter waiter, PendingAcquire pending, long waitMs) {
    NamedLock lock = existing(name);
    if (lock == null) {
      return;
    }
    boolean gaveUp;
    try {
      gaveUp = lock.waiter(waiter.key) == waiter && lock.giveUp(waiter, pending, clock.instant());
    } finally {
      unlock(lock);
    }
    if (gaveUp) {
      pending.failed(LockWaitTimeoutException.waited(name, waitMs, granting.graceMs));
    }
  }

  /** Where an acquire stands once it is checked: granted at once, or queued as a waiter. */
  private record Start(NamedLock lock, @Nullable Grant grant, @Nullable Waiter waiter) {}

  /**
   * Checks an acquire and grants it at once or queues it.
   *
   * @return the lock, its mutex held for the caller to let go of, with a grant or a waiter
   */
  private Start start(
      String name, String owner, String requestId, long leaseMs, long waitMs, String principal) {
    LockChecks.name(name);
    LockChecks.text("owner", owner);
    LockChecks.text("requestId", requestId);
    LockChecks.range("leaseMs", leaseMs, 1, properties.maxLeaseMs());
    LockChecks.range("waitMs", waitMs, 0, properties.maxWaitMs());
    String key = key(principal, requestId);
    // Counted before this lock's mutex is taken: counting takes every other lock's in turn.
    int claims = claimsBy(principal);
    NamedLock lock = lockFor(name);
    boolean handedOver = false;
    try {
      Instant now = clock.instant();
      lock.settle(now);
      Holder holder = lock.holder();
      Start start;
      if (holder != null && holder.key.equals(key)) {
        start = new Start(lock, lock.extend(holder, leaseMs, now), null);
      } else {
        start = new Start(lock, null, lock.waiter(key));
        Waiter waiter = start.waiter();
        if (waiter == null && claims >= properties.maxPerOwner()) {
          throw new TooManyLocksException(properties.maxPerOwner());
        }
        if (waiter == null && holder == null) { // settled: a free lock has no waiters
          start = new Start(lock, lock.grant(key, owner, principal, leaseMs, now), null);
        } else if (waiter == null) {
          if (waitMs == 0) {
            throw LockWaitTimeoutException.held(name);
          }
          start = new Start(lock, null, lock.enqueue(key, requestId, owner, principal, leaseMs));
        } else {
          waiter.owner = owner;
          waiter.leaseMs = leaseMs;
        }
      }
      handedOver = true;
      return start;
    } finally {
      if (!handedOver) {
        unlock(lock);
      }
    }
  }

  private Grant await(NamedLock lock, Waiter waiter, long deadline, long waitMs) {
    waiter.attached++;
    waiter.placeKeptUntil = null;
    try {
      while (waiter.grant == null) {
        if (waiter.withdrawn) {
          throw LockNotHeldException.withdrawn(lock.name, waiter.requestId);
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw LockWaitTimeoutException.waited(lock.name, waitMs, granting.graceMs);
        }
        waiter.turn.awaitNanos(remaining);
      }
      // A repeat may have changed the lease since the handoff.
      Holder holder = lock.holder();
      return holder != null && holder.key.equals(waiter.key) ? lock.grantOf(holder) : waiter.grant;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LockWaitTimeoutException.waited(lock.name, waitMs, granting.graceMs);
    } finally {
      waiter.attached--;
      lock.detach(waiter, clock.instant());
    }
  }

  /**
   * Extends the lease of the current grant.
   *
   * @param leaseMs the new lease from now, or null for the grant's own
   * @throws LockNotHeldException when the token is not the caller's current grant of the lock
   */
  public Grant renew(String name, long token, @Nullable Long leaseMs, String principal) {
    LockChecks.name(name);
    if (leaseMs != null) {
      LockChecks.range("leaseMs", leaseMs, 1, properties.maxLeaseMs());
    }
    NamedLock lock = existing(name);
    if (lock == null) {
      throw LockNotHeldException.token(name, token);
    }
    try {
      Instant now = clock.instant();
      lock.settle(now);
      Holder holder = current(lock, token, principal);
      return lock.extend(holder, leaseMs == null ? holder.leaseMs : leaseMs, now);
    } finally {
      unlock(lock);
    }
  }

  /**
   * Releases the current grant; the next waiter gets the lock at once.
   *
   * @throws LockNotHeldException when the token is not the caller's current grant of the lock
   */
  public void release(String name, long token, String principal) {
    LockChecks.name(name);
    NamedLock lock = existing(name);
    if (lock == null) {
      throw LockNotHeldException.token(name, token);
    }
    try {
      Instant now = clock.instant();
      lock.settle(now);
      current(lock, token, principal);
      lock.handOff(now);
    } finally {
      unlock(lock);
    }
  }

  /**
   * Releases by the grant's token or by the acquire's requestId, whichever the caller gave: the
   * release call's two forms, over HTTP or the lock channel.
   *
   * @throws InvalidLockRequestException unless exactly one of them is given
   */
  public void release(
      String name, @Nullable Long token, @Nullable String requestId, String principal) {
    if ((token == null) == (requestId == null)) {
      throw new InvalidLockRequestException(
          "token", "give the token of the grant or the requestId of the acquire, one of them");
    }
    if (requestId != null) {
      releaseRequest(name, requestId, principal);
    } else {
      release(name, token, principal);
    }
  }

  /**
   * Releases the grant of an acquire, or withdraws it while it waits: for a caller that gave up or
   * never received the answer with the token.
   *
   * @throws LockNotHeldException when the request neither holds nor waits for the lock
   */
  public void releaseRequest(String name, String requestId, String principal) {
    LockChecks.name(name);
    LockChecks.text("requestId", requestId);
    NamedLock lock = existing(name);
    if (lock == null) {
      throw LockNotHeldException.request(name, requestId);
    }
    try {
      Instant now = clock.instant();
      lock.settle(now);
      String key = key(principal, requestId);
      Holder holder = lock.holder();
      Waiter waiter = lock.waiter(key);
      if (holder != null && holder.key.equals(key)) {
        lock.handOff(now);
      } else if (waiter != null) {
        lock.withdraw(waiter);
      } else {
        throw LockNotHeldException.request(name, requestId);
      }
    } finally {
      unlock(lock);
    }
  }

  /**
   * Releases at once every grant made to the principal and withdraws its waiters: a worker that is
   * declared lost holds nothing any more.
   *
   * @param principal {@code worker:7}, ...
   * @return how many grants were released
   */
  public int releaseHeldBy(String principal) {
    int released = 0;
    for (NamedLock lock : locks.values()) {
      lock.mutex.lock();
      try {
        if (lock.retired) {
          continue;
        }
        Instant now = clock.instant();
        lock.settle(now);
        // Its waiters go first, so the lock is not handed to one of them.
        lock.withdrawWaitersOf(principal);
        Holder holder = lock.holder();
        if (holder != null && fallsUnder(holder.principal, principal)) {
          lock.handOff(now);
          released++;
        }
      } finally {
        unlock(lock);
      }
    }
    for (Consumer<String> ending : endings) {
      ending.accept(principal);
    }
    return released;
  }

  /**
   * Whether a lock name is allowed: letters, digits, {@code .}, {@code _} and {@code -}, at most
   * 100 characters, not starting with a dot.
   */
  public static boolean validName(String name) {
    return LockChecks.validName(name);
  }

  /**
   * Whether {@code token} is the current grant of the lock, made to {@code principal}: what the
   * shared log fences appends with, so a guessed token of someone else's grant does not pass.
   *
   * @param principal whose grant it must be; null for the admin, who may act for anyone
   */
  public boolean isCurrent(String name, long token, @Nullable String principal) {
    NamedLock lock = existing(name);
    if (lock == null) {
      return false;
    }
    try {
      lock.settle(clock.instant());
      Holder holder = lock.holder();
      return holder != null
          && holder.token == token
          && (principal == null || holder.principal.equals(principal));
    } finally {
      unlock(lock);
    }
  }

  /**
   * Whether a grant's principal falls under another: itself, or one of its jobs ({@code
   * worker:7/job:42} falls under {@code worker:7}), so a lost worker's jobs lose their locks too.
   */
  public static boolean fallsUnder(String principal, String owner) {
    return principal.equals(owner)
        || (principal.length() > owner.length()
            && principal.startsWith(owner)
            && principal.charAt(owner.length()) == '/');
  }

  /** Every held lock, by name. */
  public List<LockView> list() {
    List<LockView> views = new ArrayList<>();
    for (NamedLock lock : locks.values()) {
      LockView view = view(lock);
      if (view != null) {
        views.add(view);
      }
    }
    views.sort(Comparator.comparing(LockView::name));
    return views;
  }

  /** The lock, if anyone holds it. */
  public Optional<LockView> find(String name) {
    LockChecks.name(name);
    NamedLock lock = locks.get(name);
    return lock == null ? Optional.empty() : Optional.ofNullable(view(lock));
  }

  /**
   * Ends every lease that is due and hands those locks on; the timer calls it, tests call it after
   * stepping the clock.
   *
   * @return the earliest lease end still ahead, or null when no lock is held
   */
  @Nullable Instant expireDue() {
    Instant earliest = null;
    for (NamedLock lock : locks.values()) {
      lock.mutex.lock();
      try {
        if (lock.retired) {
          continue;
        }
        lock.settle(clock.instant());
        Holder holder = lock.holder();
        if (holder != null && (earliest == null || holder.expiresAt.isBefore(earliest))) {
          earliest = holder.expiresAt;
        }
      } finally {
        unlock(lock);
      }
    }
    return earliest;
  }

  /** How many locks the table remembers: held or waited for. */
  int known() {
    return locks.size();
  }

  /** Tells the timer of every lease end set from now on. */
  void onLeaseSet(Granting.Expiries expiries) {
    granting.expiries = expiries;
  }

  private @Nullable LockView view(NamedLock lock) {
    lock.mutex.lock();
    try {
      if (lock.retired) {
        return null;
      }
      lock.settle(clock.instant());
      return lock.view();
    } finally {
      unlock(lock);
    }
  }

  private static Holder current(NamedLock lock, long token, String principal) {
    Holder holder = lock.holder();
    if (holder == null || holder.token != token) {
      throw LockNotHeldException.token(lock.name, token);
    }
    if (!holder.principal.equals(principal) && !ADMIN.equals(principal)) {
      throw LockNotHeldException.anothers(lock.name, token);
    }
    return holder;
  }

  private static String key(String principal, String requestId) {
    return principal + '\n' + requestId;
  }

  /** The lock of this name with its mutex held, made if there is none. */
  private NamedLock lockFor(String name) {
    while (true) {
      NamedLock lock = locks.computeIfAbsent(name, newLock);
      lock.mutex.lock();
      if (!lock.retired) {
        return lock;
      }
      lock.mutex.unlock();
    }
  }

  /** How many locks the principal holds or waits for, each lock's mutex taken in turn. */
  private int claimsBy(String principal) {
    int claims = 0;
    for (NamedLock lock : locks.values()) {
      lock.mutex.lock();
      try {
        if (!lock.retired) {
          claims += lock.claimsBy(principal);
        }
      } finally {
        lock.mutex.unlock();
      }
    }
    return claims;
  }

  /** The lock of this name with its mutex held, or null when there is none. */
  private @Nullable NamedLock existing(String name) {
    while (true) {
      NamedLock lock = locks.get(name);
      if (lock == null) {
        return null;
      }
      lock.mutex.lock();
      if (!lock.retired) {
        return lock;
      }
      lock.mutex.unlock();
    }
  }

  /**
   * Forgets the lock if nobody holds or waits for it, lets go of its mutex, then tells the pending
   * acquires what was decided for them under it.
   */
  private void unlock(NamedLock lock) {
    List<Runnable> notices;
    try {
      notices = lock.takeNotices();
      if (!lock.retired && lock.idle()) {
        lock.retired = true;
        locks.remove(lock.name, lock);
      }
    } finally {
      lock.mutex.unlock();
    }
    for (Runnable notice : notices) {
      notice.run();
    }
  }
}
