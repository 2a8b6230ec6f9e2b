package org.pipewright.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pipewright.SteppedClock;

/**
 * The lock rules with a clock that moves only when told and an epoch counter in memory. Waiters are
 * real threads; a test lines them up by watching the queue grow, so the order is the one written.
 */
class LockManagerTests {

  static final LockProperties PROPERTIES =
      new LockProperties(30_000, 600_000, 10_000, 60_000, Duration.ofSeconds(2), 100, null);
  static final long LONG_WAIT = 10_000;

  final SteppedClock clock = new SteppedClock();
  final AtomicLong epochs = new AtomicLong();
  final LockManager locks = new LockManager(epochs::incrementAndGet, clock, PROPERTIES);
  final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  Grant acquire(String name, String requestId) {
    return acquire(name, requestId, 30_000, 0, "worker:1");
  }

  Grant acquire(String name, String requestId, long leaseMs, long waitMs, String principal) {
    return locks.acquire(name, "owner of " + requestId, requestId, leaseMs, waitMs, principal);
  }

  /** Starts an acquire in its own thread and returns once it waits in the queue. */
  Future<Grant> waiting(String name, String requestId, String principal) {
    int before = waiters(name);
    Future<Grant> grant =
        threads.submit(() -> acquire(name, requestId, 30_000, LONG_WAIT, principal));
    await().atMost(Duration.ofSeconds(5)).until(() -> waiters(name) == before + 1);
    return grant;
  }

  /** Submits a task and fails the test if it does not end in time. */
  static <T> T within(Future<T> future) throws Exception {
    return future.get(5, TimeUnit.SECONDS);
  }

  int waiters(String name) {
    return locks.find(name).map(LockView::waiters).orElse(0);
  }

  void timesOut(String name, String requestId) {
    assertThatThrownBy(() -> acquire(name, requestId, 30_000, 20, "worker:1"))
        .isInstanceOf(LockWaitTimeoutException.class)
        .hasMessageContaining("within 20 ms");
  }

  static void refused(ThrowingCallable call, String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidLockRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.type()).isEqualTo("invalid-lock-request");
            });
  }

  @Test
  void aCallerMayHoldOrWaitForNoMoreLocksThanAllowedAndOthersAreNotHeldBack() throws Exception {
    LockManager few =
        new LockManager(
            epochs::incrementAndGet,
            clock,
            new LockProperties(30_000, 600_000, 10_000, 60_000, Duration.ofSeconds(2), 2, null));
    few.acquire("a", "o", "r1", 30_000, 0, "worker:1/job:7.1");
    few.acquire("b", "o", "r2", 30_000, 0, "worker:1/job:7.1");

    assertThatThrownBy(() -> few.acquire("c", "o", "r3", 30_000, 0, "worker:1/job:7.1"))
        .isInstanceOfSatisfying(
            TooManyLocksException.class, e -> assertThat(e.status()).isEqualTo(429));
    // A repeat of a grant it holds is no new lock; another caller is not counted with it.
    assertThat(few.acquire("a", "o", "r1", 30_000, 0, "worker:1/job:7.1").token()).isPositive();
    assertThat(few.acquire("c", "o", "r4", 30_000, 0, "worker:2/job:8.1").token()).isPositive();
  }

  @Test
  void tokensRiseWithEveryGrantOfALock() {
    long previous = 0;
    for (int i = 0; i < 5; i++) {
      Grant grant = acquire("data", "r" + i);
      assertThat(grant.token()).isGreaterThan(previous);
      previous = grant.token();
      locks.release("data", grant.token(), "worker:1");
    }
  }

  @Test
  void theTokensOfANewStartExceedEveryTokenOfTheOldOne() {
    Grant before = null;
    for (int i = 0; i < 100; i++) {
      before = acquire("data", "r" + i);
      locks.release("data", before.token(), "worker:1");
    }

    LockManager restarted = new LockManager(epochs::incrementAndGet, clock, PROPERTIES);
    Grant after = restarted.acquire("data", "o", "again", 1000, 0, "worker:1");

    assertThat(before.token() >>> 32).isEqualTo(1);
    assertThat(after.token() >>> 32).isEqualTo(2);
    assertThat(after.token()).isGreaterThan(before.token());
  }

  @Test
  void tokensKeepRisingWhenAnEpochRunsOutOfGrantNumbers() {
    AtomicLong epoch = new AtomicLong();
    FencingTokens tokens = new FencingTokens(epoch::incrementAndGet, FencingTokens.LOW - 1);

    long last = tokens.next();
    long next = tokens.next();

    assertThat(last).isEqualTo((1L << 32) | FencingTokens.LOW);
    assertThat(next).isEqualTo((2L << 32) | 1).isGreaterThan(last);
    assertThat(epoch.get()).isEqualTo(2);
  }

  @Test
  void waitersAreServedInArrivalOrder() throws Exception {
    Grant first = acquire("data", "holder");
    List<String> served = new CopyOnWriteArrayList<>();
    List<Future<?>> done = new java.util.ArrayList<>();
    for (String requestId : List.of("a", "b", "c", "d")) {
      int before = waiters("data");
      done.add(
          threads.submit(
              (Callable<Void>)
                  () -> {
                    Grant grant = acquire("data", requestId, 30_000, LONG_WAIT, "worker:1");
                    served.add(requestId);
                    locks.release("data", grant.token(), "worker:1");
                    return null;
                  }));
      await().atMost(Duration.ofSeconds(5)).until(() -> waiters("data") == before + 1);
    }

    locks.release("data", first.token(), "worker:1");
    for (Future<?> each : done) {
      within(each);
    }

    assertThat(served).containsExactly("a", "b", "c", "d");
  }

  @Test
  void repeatingAnAcquireReturnsTheSameGrantWithTheNewLease() {
    Grant first = acquire("data", "once", 1_000, 0, "worker:1");
    clock.step(Duration.ofMillis(500));

    Grant again = acquire("data", "once", 5_000, 0, "worker:1");

    assertThat(again.token()).isEqualTo(first.token());
    assertThat(again.leaseMs()).isEqualTo(5_000);
    assertThat(again.expiresAt()).isEqualTo(clock.instant().plusMillis(5_000));
  }

  @Test
  void anotherCallerReusingARequestIdDoesNotGetTheGrant() {
    acquire("data", "same", 30_000, 0, "worker:1");

    assertThatThrownBy(() -> acquire("data", "same", 30_000, 0, "worker:2"))
        .isInstanceOf(LockWaitTimeoutException.class);
  }

  @Test
  void waitZeroOnlyTriesAndTakesNoPlace() {
    acquire("data", "holder");

    assertThatThrownBy(() -> acquire("data", "try", 30_000, 0, "worker:2"))
        .isInstanceOfSatisfying(
            LockWaitTimeoutException.class,
            e -> {
              assertThat(e.type()).isEqualTo("lock-wait-timeout");
              assertThat(e.status()).isEqualTo(409);
            });
    assertThat(waiters("data")).isZero();
  }

  @Test
  void anAcquireThatTimedOutKeepsItsPlaceWithinTheGrace() throws Exception {
    Grant holder = acquire("data", "holder");
    timesOut("data", "early");
    Future<Grant> later = waiting("data", "later", "worker:1");

    clock.step(Duration.ofMillis(1_900));
    Future<Grant> early =
        threads.submit(() -> acquire("data", "early", 30_000, LONG_WAIT, "worker:1"));
    locks.release("data", holder.token(), "worker:1");

    Grant earlyGrant = within(early);
    assertThat(earlyGrant.leaseMs()).as("it came back: its own lease").isEqualTo(30_000);
    assertThat(later).isNotDone();
    locks.release("data", earlyGrant.token(), "worker:1");
    assertThat(within(later).token()).isGreaterThan(earlyGrant.token());
  }

  @Test
  void anAcquireThatTimedOutLosesItsPlaceAfterTheGrace() throws Exception {
    Grant holder = acquire("data", "holder");
    timesOut("data", "early");
    Future<Grant> later = waiting("data", "later", "worker:1");
    assertThat(waiters("data")).isEqualTo(2);

    clock.step(Duration.ofSeconds(2));
    locks.expireDue();

    assertThat(waiters("data")).isEqualTo(1);
    Future<Grant> early = waiting("data", "early", "worker:1");
    locks.release("data", holder.token(), "worker:1");
    Grant laterGrant = within(later);
    assertThat(early).isNotDone();
    locks.release("data", laterGrant.token(), "worker:1");
    assertThat(within(early).token()).isGreaterThan(laterGrant.token());
  }

  @Test
  void aLockThatComesFreeForAWaiterThatTimedOutIsItsForAtMostTheGrace() {
    Grant holder = acquire("data", "holder");
    timesOut("data", "early");

    locks.release("data", holder.token(), "worker:1");

    LockView view = locks.find("data").orElseThrow();
    assertThat(view.owner()).isEqualTo("owner of early");
    assertThat(view.expiresAt()).isEqualTo(clock.instant().plusSeconds(2));
    Grant resumed = acquire("data", "early", 30_000, 0, "worker:1");
    assertThat(resumed.token()).isEqualTo(view.token());
    assertThat(resumed.leaseMs()).isEqualTo(30_000);
  }

  @Test
  void aGrantNobodyCameBackForExpiresAndTheNextWaiterGetsIt() throws Exception {
    Grant holder = acquire("data", "holder");
    timesOut("data", "early");
    Future<Grant> later = waiting("data", "later", "worker:1");
    locks.release("data", holder.token(), "worker:1");
    long unclaimed = locks.find("data").orElseThrow().token();

    clock.step(Duration.ofSeconds(2));
    locks.expireDue();

    assertThat(within(later).token()).isGreaterThan(unclaimed);
  }

  @Test
  void aHolderThatNeverRenewsBlocksOthersNoLongerThanItsLease() throws Exception {
    Grant silent = acquire("data", "silent", 1_000, 0, "worker:1");
    Future<Grant> next = waiting("data", "next", "worker:2");

    clock.step(Duration.ofMillis(999));
    assertThat(locks.expireDue()).isEqualTo(silent.expiresAt());
    assertThat(next).isNotDone();
    clock.step(Duration.ofMillis(1));
    locks.expireDue();

    Grant grant = within(next);
    assertThat(grant.token()).isGreaterThan(silent.token());
    assertThat(grant.expiresAt()).isEqualTo(clock.instant().plusMillis(30_000));
    assertThat(locks.isCurrent("data", silent.token(), null)).isFalse();
    assertThat(locks.isCurrent("data", grant.token(), null)).isTrue();
  }

  @Test
  void anExpiredLeaseIsNoticedByTheNextCallWithoutTheTimer() {
    Grant silent = acquire("data", "silent", 1_000, 0, "worker:1");
    clock.step(Duration.ofSeconds(1));

    Grant grant = acquire("data", "next", 30_000, 0, "worker:2");

    assertThat(grant.token()).isGreaterThan(silent.token());
  }

  @Test
  void renewExtendsTheLeaseFromNow() {
    Grant grant = acquire("data", "holder", 1_000, 0, "worker:1");
    clock.step(Duration.ofMillis(900));

    Grant kept = locks.renew("data", grant.token(), null, "worker:1");
    Grant longer = locks.renew("data", grant.token(), 4_000L, "worker:1");

    assertThat(kept.expiresAt()).isEqualTo(clock.instant().plusMillis(1_000));
    assertThat(longer.expiresAt()).isEqualTo(clock.instant().plusMillis(4_000));
    assertThat(longer.token()).isEqualTo(grant.token());
    clock.step(Duration.ofMillis(3_999));
    assertThat(locks.isCurrent("data", grant.token(), null)).isTrue();
  }

  @Test
  void renewAndReleaseWithAStaleTokenAreRefused() {
    Grant released = acquire("data", "one");
    locks.release("data", released.token(), "worker:1");
    Grant expired = acquire("data", "two", 1_000, 0, "worker:1");
    clock.step(Duration.ofSeconds(1));
    Grant current = acquire("data", "three");

    for (Grant stale : List.of(released, expired)) {
      assertThatThrownBy(() -> locks.renew("data", stale.token(), null, "worker:1"))
          .isInstanceOfSatisfying(
              LockNotHeldException.class, e -> assertThat(e.type()).isEqualTo("lock-not-held"))
          .hasMessageContaining("not the current grant");
      assertThatThrownBy(() -> locks.release("data", stale.token(), "worker:1"))
          .isInstanceOf(LockNotHeldException.class);
    }
    assertThatThrownBy(() -> locks.renew("gone", 1, null, "worker:1"))
        .isInstanceOf(LockNotHeldException.class);
    assertThat(locks.isCurrent("data", current.token(), null)).isTrue();
  }

  @Test
  void aTokenActsOnlyForItsOwnPrincipalOrTheAdmin() {
    Grant grant = acquire("data", "mine", 30_000, 0, "worker:1");

    assertThatThrownBy(() -> locks.release("data", grant.token(), "worker:2"))
        .isInstanceOf(LockNotHeldException.class)
        .hasMessageContaining("another caller");
    assertThat(locks.isCurrent("data", grant.token(), null)).isTrue();
    locks.release("data", grant.token(), "admin");
    assertThat(locks.isCurrent("data", grant.token(), null)).isFalse();
  }

  @Test
  void releasingByRequestIdWithdrawsAWaiterOrReleasesItsGrant() throws Exception {
    Grant holder = acquire("data", "holder");
    Future<Grant> waiter = waiting("data", "waiter", "worker:1");

    locks.releaseRequest("data", "waiter", "worker:1");
    assertThatThrownBy(() -> within(waiter))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(LockNotHeldException.class)
        .hasMessageContaining("withdrawn");
    locks.releaseRequest("data", "holder", "worker:1");

    assertThat(locks.isCurrent("data", holder.token(), null)).isFalse();
    assertThat(locks.find("data")).isEmpty();
    assertThatThrownBy(() -> locks.releaseRequest("data", "holder", "worker:1"))
        .isInstanceOf(LockNotHeldException.class);
  }

  @Test
  void releaseHeldByFreesItsLocksAtOnceAndTheNextWaiterGetsThem() throws Exception {
    Grant lost = acquire("data", "lost", 30_000, 0, "worker:7");
    Grant other = acquire("other", "kept", 30_000, 0, "worker:9");
    Future<Grant> next = waiting("data", "next", "worker:8");
    Future<Grant> lostWaiter = waiting("other", "lost-too", "worker:7");

    assertThat(locks.releaseHeldBy("worker:7")).isEqualTo(1);

    assertThat(within(next).token()).isGreaterThan(lost.token());
    assertThatThrownBy(() -> within(lostWaiter)).cause().isInstanceOf(LockNotHeldException.class);
    assertThat(locks.isCurrent("data", lost.token(), null)).isFalse();
    assertThat(locks.isCurrent("other", other.token(), null)).isTrue();
    assertThat(locks.find("other").orElseThrow().waiters()).isZero();
  }

  @Test
  void aLostWorkerAlsoLosesTheLocksItsJobsTookWithTheirOwnTokens() {
    Grant jobs = acquire("data", "curl", 30_000, 0, "worker:7/job:42");
    Grant neighbour = acquire("other", "curl", 30_000, 0, "worker:70/job:1");

    assertThat(locks.releaseHeldBy("worker:7")).isEqualTo(1);

    assertThat(locks.isCurrent("data", jobs.token(), null)).isFalse();
    assertThat(locks.isCurrent("other", neighbour.token(), null)).isTrue();
  }

  @Test
  void aGrantIsCurrentOnlyForTheCallerItWasMadeTo() {
    Grant grant = acquire("data", "r", 30_000, 0, "worker:1/job:5");

    assertThat(locks.isCurrent("data", grant.token(), "worker:1/job:5")).isTrue();
    assertThat(locks.isCurrent("data", grant.token(), "worker:1/job:6")).isFalse();
    assertThat(locks.isCurrent("data", grant.token(), "worker:1")).isFalse();
    assertThat(locks.isCurrent("data", grant.token(), null)).as("the admin").isTrue();
  }

  @Test
  void locksListTheirHolderTokenExpiryAndWaiters() throws Exception {
    Grant b = acquire("b", "rb", 5_000, 0, "worker:2");
    Grant a = acquire("a", "ra", 30_000, 0, "worker:1");
    waiting("a", "queued", "worker:3");

    assertThat(locks.list())
        .containsExactly(
            new LockView("a", "owner of ra", "worker:1", a.token(), a.expiresAt(), 1),
            new LockView("b", "owner of rb", "worker:2", b.token(), b.expiresAt(), 0));
  }

  @Test
  void aLockNobodyHoldsOrWaitsForIsForgotten() {
    for (int i = 0; i < 1_000; i++) {
      Grant grant = acquire("unique-" + i, "r");
      locks.release(grant.name(), grant.token(), "worker:1");
    }
    acquire("expires", "r", 1_000, 0, "worker:1");
    clock.step(Duration.ofSeconds(1));
    locks.expireDue();

    assertThat(locks.list()).isEmpty();
    assertThat(locks.known()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".hidden", "a b", "a/b", "é", "x:y"})
  void badLockNamesAreRefused(String name) {
    refused(() -> acquire(name, "r"), "name");
  }

  @Test
  void namesMayBeAHundredLettersDigitsDotsUnderscoresAndDashes() {
    assertThat(acquire("A.b_c-1.", "r").name()).isEqualTo("A.b_c-1.");
    assertThat(acquire("x".repeat(100), "r").name()).hasSize(100);
    assertThatThrownBy(() -> acquire("x".repeat(101), "r"))
        .isInstanceOf(InvalidLockRequestException.class);
  }

  @Test
  void fieldsOutOfBoundsAreRefusedByName() {
    refused(() -> acquire("data", "r", 0, 0, "worker:1"), "leaseMs");
    refused(() -> acquire("data", "r", 600_001, 0, "worker:1"), "leaseMs");
    refused(() -> acquire("data", "r", 1_000, -1, "worker:1"), "waitMs");
    refused(() -> acquire("data", "r", 1_000, 60_001, "worker:1"), "waitMs");
    refused(() -> locks.acquire("data", " ", "r", 1_000, 0, "worker:1"), "owner");
    refused(() -> locks.acquire("data", "o", "r".repeat(201), 1_000, 0, "worker:1"), "requestId");
    assertThat(locks.known()).isZero();
  }

  /** What a pending acquire heard, in order. */
  static final class Heard implements PendingAcquire {
    final List<Object> answers = new CopyOnWriteArrayList<>();

    @Override
    public void granted(Grant grant) {
      answers.add(grant);
    }

    @Override
    public void failed(org.pipewright.PipewrightException problem) {
      answers.add(problem);
    }
  }

  @Test
  void aPendingAcquireQueuesWithTheThreadsAndHearsOfItsGrantOnTheReleasersThread()
      throws Exception {
    Grant held = acquire("mixed", "holder");
    Future<Grant> thread = waiting("mixed", "thread", "worker:2");
    Heard pending = new Heard();
    Runnable giveUp =
        locks.acquire("mixed", "socket", "pending", 30_000, LONG_WAIT, "worker:3", pending);
    assertThat(giveUp).isNotNull();
    assertThat(pending.answers).isEmpty();

    locks.release("mixed", held.token(), "worker:1");
    Grant threads = within(thread);
    assertThat(pending.answers).as("the thread came first").isEmpty();
    locks.release("mixed", threads.token(), "worker:2");

    assertThat(pending.answers)
        .singleElement()
        .isInstanceOfSatisfying(
            Grant.class, g -> assertThat(g.token()).isGreaterThan(threads.token()));
    giveUp.run(); // too late: answered already
    assertThat(pending.answers).hasSize(1);
  }

  @Test
  void aPendingAcquireThatGivesUpHearsItTimedOutAndARepeatKeepsItsPlace() {
    Grant held = acquire("patience", "holder");
    Heard first = new Heard();
    Runnable giveUp = locks.acquire("patience", "socket", "again", 30_000, 100, "worker:3", first);
    giveUp.run();
    assertThat(first.answers).singleElement().isInstanceOf(LockWaitTimeoutException.class);

    Heard other = new Heard();
    locks.acquire("patience", "other", "other", 30_000, LONG_WAIT, "worker:4", other);
    Heard repeat = new Heard();
    locks.acquire("patience", "socket", "again", 30_000, LONG_WAIT, "worker:3", repeat);
    locks.release("patience", held.token(), "worker:1");

    assertThat(repeat.answers).singleElement().isInstanceOf(Grant.class);
    assertThat(other.answers).isEmpty();
  }

  @Test
  void aPendingAcquireOfALostWorkerHearsItWasWithdrawn() {
    acquire("gone", "holder");
    Heard pending = new Heard();
    locks.acquire("gone", "socket", "lost", 30_000, LONG_WAIT, "worker:9", pending);

    locks.releaseHeldBy("worker:9");

    assertThat(pending.answers)
        .singleElement()
        .isInstanceOfSatisfying(
            LockNotHeldException.class, e -> assertThat(e).hasMessageContaining("withdrawn"));
    assertThat(waiters("gone")).isZero();
  }
}
