package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.pipewright.worker.runtime.Specs.aJavaJob;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.sdk.HeldLock;

/** Jobs and the control plane's leased locks, on a {@link Rig} whose locks lease for 300 ms. */
class LockTests {

  static final long LEASE_MS = 300;

  @TempDir Path temp;
  Rig rig;

  @AfterEach
  void close() {
    if (rig != null) {
      rig.close();
    }
  }

  Rig rig() {
    rig = new Rig(temp, Attempt.JAVA_STOP_MS, List.of(), LEASE_MS);
    return rig;
  }

  @Test
  void aControlPlaneWithoutTheLockChannelIsAskedOverTheCallsInstead() {
    rig = new Rig(temp, Attempt.JAVA_STOP_MS, List.of(), LEASE_MS, JobLimits.DEFAULT, true);

    Completion done = rig.run(aJavaJob(TestJobs.Locking.class).id(4, 2).outputs("token"));

    assertThat(done.outcome()).as(String.valueOf(done.error())).isEqualTo(Outcome.SUCCEEDED);
    long token = Long.parseLong(rig.read("token"));
    assertThat(acquires(rig)).hasSize(1);
    assertThat(rig.controlPlane.lockCalls("release"))
        .singleElement()
        .satisfies(call -> assertThat(call.body()).isEqualTo(Map.of("token", token)));
  }

  @Test
  void aJobWaitsForALockSomeoneElseHoldsAskingAgainWithTheSameRequestUntilItIsGranted() {
    Rig rig = rig();
    long theirs = rig.controlPlane.hold("shared");
    Rig.Running running = rig.start(aJavaJob(TestJobs.Locking.class).id(4, 2).outputs("token"));
    await().atMost(Duration.ofSeconds(10)).until(() -> acquires(rig).size() >= 2);

    assertThat(running.done()).isNotDone();
    rig.controlPlane.letGo("shared");

    assertThat(running.completion().outcome()).isEqualTo(Outcome.SUCCEEDED);
    long token = Long.parseLong(rig.read("token"));
    assertThat(token).isGreaterThan(theirs);
    List<Map<String, Object>> acquires = acquires(rig);
    assertThat(acquires)
        .allSatisfy(body ->
            assertThat(body)
                .containsEntry("owner", "job 4 attempt 2 on worker 17")
                .containsEntry("requestId", acquires.get(0).get("requestId"))
                .containsEntry("leaseMs", LEASE_MS)
                .containsEntry("waitMs", LockClient.WAIT_MS));
    assertThat(rig.controlPlane.lockCalls("release"))
        .singleElement()
        .satisfies(call -> assertThat(call.body()).isEqualTo(Map.of("token", token)));
  }

  @Test
  void cancelWhileWaitingForALockInterruptsTheJobAndWithdrawsItsRequest() {
    Rig rig = rig();
    long theirs = rig.controlPlane.hold("shared");
    Rig.Running running = rig.start(aJavaJob(TestJobs.Locking.class).outputs("token"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !acquires(rig).isEmpty());

    running.attempt().cancel("test");

    assertThat(running.completion().error()).startsWith("java.lang.InterruptedException");
    assertThat(rig.file("token")).doesNotExist();
    assertThat(rig.controlPlane.lockCalls("release"))
        .singleElement()
        .satisfies(call ->
            assertThat(call.body())
                .isEqualTo(Map.of("requestId", acquires(rig).get(0).get("requestId"))));
    assertThat(rig.controlPlane.holder("shared")).isEqualTo(theirs);
  }

  @Test
  void aHeldLockIsRenewedAndReleasedOnlyOnceTheRecordsWrittenUnderItAreStored() {
    Rig rig = rig();

    Completion completion =
        rig.run(aJavaJob(TestJobs.LoggingUnderLock.class).extras(Long.toString(2 * LEASE_MS)));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
    List<Map<String, Object>> records = rig.controlPlane.recordsOf(1);
    assertThat(records)
        .extracting(r -> r.get("message"))
        .containsExactly("one entry,", "kept together", "after the wait");
    long token = (Long) records.get(0).get("token");
    assertThat(records)
        .allSatisfy(
            r -> assertThat(r).containsEntry("lock", "logging").containsEntry("token", token));
    assertThat(rig.controlPlane.lockCalls("renew"))
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(
            call -> assertThat(call.body()).isEqualTo(Map.of("token", token, "leaseMs", LEASE_MS)));
    assertThat(rig.controlPlane.arrivals)
        .containsSubsequence("record 1", "record 1", "record 1", "release logging");
    assertThat(rig.controlPlane.holder("logging")).isNull();
  }

  @Test
  void aLockTheJobForgotIsReleasedWhenTheJobEnds() {
    Rig rig = rig();

    rig.run(aJavaJob(TestJobs.Forgetful.class));

    assertThat(rig.controlPlane.lockCalls("release")).hasSize(1);
    assertThat(rig.controlPlane.holder("shared")).isNull();
  }

  @Test
  void recordsRefusedBecauseTheGrantEndedAreSentAgainWithoutTheLockAfterAWarning() {
    Rig rig = rig();
    rig.controlPlane.refuseLockedAppends();

    Completion completion = rig.run(aJavaJob(TestJobs.LoggingUnderLock.class).extras("0"));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
    long token = (Long) rig.controlPlane.lockCalls("release").get(0).body().get("token");
    List<Map<String, Object>> records = rig.controlPlane.recordsOf(1);
    assertThat(records).allSatisfy(r -> assertThat(r).containsEntry("lock", null));
    // One warning per refused batch, first; the three records may have left in one batch or more.
    assertThat(records.get(0)).containsEntry("level", "WARN");
    assertThat(records)
        .filteredOn(r -> r.get("level").equals("WARN"))
        .extracting(r -> (String) r.get("message"))
        .allMatch(m ->
            m.matches(
                "the \\d+ records? after this one (was|were) written after the grant of lock"
                    + " 'logging' \\(token "
                    + token
                    + "\\) had ended; stored without the lock"));
    assertThat(records)
        .filteredOn(r -> r.get("level").equals("INFO"))
        .extracting(r -> r.get("message"))
        .containsExactly("one entry,", "kept together", "after the wait");
  }

  @Test
  void aRefusedRenewalLosesTheLockAndSaysSoInTheJobsLog() {
    Rig rig = rig();
    rig.controlPlane.refuseRenewals();

    Completion completion =
        rig.run(aJavaJob(TestJobs.LoggingUnderLock.class).extras(Long.toString(2 * LEASE_MS)));

    assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
    List<Map<String, Object>> records = rig.controlPlane.recordsOf(1);
    assertThat(records)
        .extracting(r -> r.get("level"))
        .containsExactly("INFO", "INFO", "WARN", "INFO");
    assertThat((String) records.get(2).get("message"))
        .startsWith("lock 'logging' (token " + records.get(0).get("token") + ") was lost: ");
    assertThat(records.get(3))
        .containsEntry("message", "after the wait")
        .containsEntry("lock", null);
    assertThat(rig.controlPlane.lockCalls("renew")).hasSize(1);
    assertThat(rig.controlPlane.lockCalls("release")).isEmpty();
  }

  @Test
  void aLockIsNotReentrant() throws Exception {
    Rig rig = rig();
    Attempt attempt = attempt();
    AttemptLog log = new SharedLogSink(rig.sharedLog, Clocks.WALL).open(attempt);
    try (HeldLock held = rig.locks.acquire("log", attempt, log)) {
      assertThatThrownBy(() -> rig.locks.acquire("log", attempt, log))
          .isInstanceOf(IllegalStateException.class);
      assertThat(held.token()).isEqualTo(rig.controlPlane.holder("log"));
    }
    try (HeldLock again = rig.locks.acquire("log", attempt, log)) {
      assertThat(again.name()).isEqualTo("log");
    }
  }

  @Test
  void lockNamesThatCouldBePathsAreRefused() {
    Rig rig = rig();
    Attempt attempt = attempt();
    AttemptLog log = new SharedLogSink(rig.sharedLog, Clocks.WALL).open(attempt);
    for (String name : new String[] {"", "../x", "a/b", ".hidden", "x".repeat(101), "a b"}) {
      assertThatThrownBy(() -> rig.locks.acquire(name, attempt, log))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(rig.controlPlane.lockCalls).isEmpty();
  }

  private static Attempt attempt() {
    return new Attempt(Specs.aTouchJob().build(), Clocks.WALL.getAsLong(), Clocks.MONOTONIC);
  }

  private static List<Map<String, Object>> acquires(Rig rig) {
    return rig.controlPlane.lockCalls("acquire").stream()
        .map(FakeControlPlane.LockCall::body)
        .toList();
  }
}
