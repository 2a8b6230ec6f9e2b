package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fencing and exit deadlines, on a clock the test steps. */
class LivenessTests {

  static final long UNREACHABLE_MS = 60_000;
  static final long LEASE_MS = 15_000;

  Liveness liveness = new Liveness(1_000, UNREACHABLE_MS, LEASE_MS);

  @Test
  void nothingIsFencedBeforeAnythingWasGranted() {
    assertThat(liveness.fenceDue(1_000_000)).isFalse();
  }

  @Test
  void theLeaseLapsesLeaseMsAfterTheLastSuccessfulHeartbeatWasSent() {
    liveness.granted(10_000);

    assertThat(liveness.fenceDue(10_000 + LEASE_MS - 1)).isFalse();
    assertThat(liveness.fenceDue(10_000 + LEASE_MS)).isTrue();
  }

  @Test
  void everyHeartbeatExtendsTheLease() {
    liveness.granted(10_000);
    liveness.granted(20_000);

    assertThat(liveness.fenceDue(10_000 + LEASE_MS)).isFalse();
    assertThat(liveness.nextDeadline()).isEqualTo(20_000 + LEASE_MS);
  }

  @Test
  void aLateAnswerToAnOlderHeartbeatDoesNotMoveTheLeaseBack() {
    liveness.granted(20_000);
    liveness.granted(10_000);

    assertThat(liveness.fenceDue(20_000 + LEASE_MS - 1)).isFalse();
  }

  @Test
  void aLapseFencesOnceUntilTheNextGrant() {
    liveness.granted(10_000);

    assertThat(liveness.fenceDue(30_000)).isTrue();
    assertThat(liveness.fenceDue(31_000)).isFalse();

    liveness.granted(40_000);
    assertThat(liveness.fenceDue(40_000 + LEASE_MS)).isTrue();
  }

  @Test
  void aShorterLeaseFromTheControlPlaneBringsTheFenceForward() {
    liveness.granted(10_000);
    liveness.leaseMs(5_000);

    assertThat(liveness.fenceDue(15_000)).isTrue();
  }

  @Test
  void theWorkerIsUnreachableUnreachableMsAfterTheLastAnswer() {
    liveness.contact(5_000);

    assertThat(liveness.unreachable(5_000 + UNREACHABLE_MS - 1)).isFalse();
    assertThat(liveness.unreachable(5_000 + UNREACHABLE_MS)).isTrue();
  }

  @Test
  void withoutAnyAnswerTheClockRunsFromTheStart() {
    assertThat(liveness.unreachable(1_000 + UNREACHABLE_MS)).isTrue();
  }

  @Test
  void theNextDeadlineIsTheEarlierOfTheTwo() {
    liveness.contact(1_000);
    assertThat(liveness.nextDeadline()).isEqualTo(1_000 + UNREACHABLE_MS);

    liveness.granted(2_000);
    assertThat(liveness.nextDeadline()).isEqualTo(2_000 + LEASE_MS);

    liveness.fenceDue(2_000 + LEASE_MS);
    assertThat(liveness.nextDeadline()).isEqualTo(1_000 + UNREACHABLE_MS);
  }
}
