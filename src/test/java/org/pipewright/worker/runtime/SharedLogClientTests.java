package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pipewright.sdk.HeldLock;

/** The worker's client of {@code POST /api/log} against the fake control plane, in process. */
class SharedLogClientTests {

  FakeControlPlane controlPlane;
  SharedLogClient log;

  @BeforeEach
  void start() throws Exception {
    controlPlane = new FakeControlPlane(1_000, 15_000);
    ControlPlane client =
        new ControlPlane(
            new HttpTransport(controlPlane.url(), 5_000),
            new Liveness(Clocks.MONOTONIC.getAsLong(), 60_000, Long.MAX_VALUE / 4),
            Clocks.MONOTONIC);
    client.register(FakeControlPlane.LAUNCH_TOKEN, "test", 1);
    log = new SharedLogClient(client, Clocks.WALL);
    log.start(17);
  }

  @AfterEach
  void stop() {
    controlPlane.close();
  }

  @Test
  void awaitStoredReturnsAtOnceWhenNothingWasWritten() throws Exception {
    assertThat(log.awaitStored(0, null)).isTrue();

    assertThat(controlPlane.logCalls).isEmpty();
  }

  @Test
  void recordsGoInCallsOfAThousandAtMostNumberedInTheOrderTheyCame() throws Exception {
    for (int i = 1; i <= 2_500; i++) {
      log.append(record("line " + i, null));
    }

    assertThat(log.awaitStored(10_000, null)).isTrue();

    assertThat(controlPlane.logCalls)
        .hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(
            call -> assertThat((List<?>) call.get("records")).hasSizeLessThanOrEqualTo(1_000));
    assertThat(controlPlane.records).hasSize(2_500);
    for (int i = 0; i < 2_500; i++) {
      assertThat(controlPlane.records.get(i))
          .containsEntry("seq", i + 1L)
          .containsEntry("source", "worker-17")
          .containsEntry("message", "line " + (i + 1));
    }
  }

  @Test
  void recordsWrittenUnderALockGoInBatchesOfTheirOwnThatCarryIt() throws Exception {
    HeldLock lock = lock("logging", controlPlane.hold("logging"));

    log.append(record("before", null));
    log.append(record("under", lock));
    log.append(record("after", null));
    assertThat(log.awaitStored(10_000, null)).isTrue();

    assertThat(controlPlane.logCalls).hasSize(3);
    assertThat(controlPlane.logCalls.get(1))
        .containsEntry("lock", "logging")
        .containsEntry("token", lock.token());
    assertThat(controlPlane.logCalls.get(0)).doesNotContainKeys("lock", "token");
    assertThat(controlPlane.logCalls.get(2)).doesNotContainKeys("lock", "token");
  }

  @Test
  void aBatchWhoseAnswerWasLostIsSentAgainUnchangedAndStoredOnce() throws Exception {
    controlPlane.loseLogAnswers(1);

    for (int i = 1; i <= 3; i++) {
      log.append(record("line " + i, null));
    }
    assertThat(log.awaitStored(10_000, null)).isTrue();

    assertThat(controlPlane.logCalls).hasSize(2);
    assertThat(controlPlane.logCalls.get(1)).isEqualTo(controlPlane.logCalls.get(0));
    assertThat(controlPlane.records).extracting(r -> r.get("seq")).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aProducerWaitsWhileTenThousandRecordsAreNotStoredAndNothingIsLostWithinAMinute()
      throws Exception {
    controlPlane.logDown(true);
    Thread producer =
        new Thread(() -> {
          for (int i = 1; i <= LogQueue.MAX_RECORDS + 1; i++) {
            log.append(record("line " + i, null));
          }
        });
    producer.start();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> producer.getState() == Thread.State.TIMED_WAITING);
    assertThat(log.waiting()).isEqualTo(LogQueue.MAX_RECORDS);
    controlPlane.logDown(false);
    producer.join(10_000);

    assertThat(log.awaitStored(10_000, null)).isTrue();
    assertThat(controlPlane.records).hasSize(LogQueue.MAX_RECORDS + 1);
    assertThat(controlPlane.records.get(LogQueue.MAX_RECORDS))
        .containsEntry("message", "line " + (LogQueue.MAX_RECORDS + 1));
  }

  @Test
  void aBatchTheControlPlaneRefusesAsInvalidIsDroppedAndTheNextOnesGoOn() throws Exception {
    controlPlane.refuseNextLogCall(422);

    log.append(record("refused", null));
    assertThat(log.awaitStored(10_000, null)).isTrue();
    log.append(record("stored", null));
    assertThat(log.awaitStored(10_000, null)).isTrue();

    assertThat(controlPlane.logCalls).hasSize(2);
    assertThat(controlPlane.records).extracting(r -> r.get("message")).containsExactly("stored");
  }

  @Test
  void eachRecordSaysWhatTheContractAsksFor() throws Exception {
    log.append(new LogRecord("INFO", "hello", 5, 9, "stderr", 1_764_300_000_123L, null));
    assertThat(log.awaitStored(10_000, null)).isTrue();

    assertThat(controlPlane.logCalls)
        .singleElement()
        .isEqualTo(
            Map.of(
                "records",
                List.of(
                    Map.of(
                        "level", "INFO",
                        "message", "hello",
                        "runId", 5L,
                        "jobId", 9L,
                        "source", "worker-17",
                        "seq", 1L,
                        "time", "2025-11-28T03:20:00.123Z",
                        "stream", "stderr"))));
  }

  private static LogRecord record(String message, HeldLock lock) {
    return new LogRecord("INFO", message, 5, 1, null, System.currentTimeMillis(), lock);
  }

  private static HeldLock lock(String name, long token) {
    return new HeldLock() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long token() {
        return token;
      }

      @Override
      public void close() {}
    };
  }
}
