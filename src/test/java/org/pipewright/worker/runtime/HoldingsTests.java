package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HoldingsTests {

  long wall = 1_700_000_000_000L;
  Holdings holdings = new Holdings(() -> wall, () -> 0);

  @Test
  void theHeartbeatReportsTheRunningAttemptWithItsStartAndTheLeasedOnesInOrder() {
    holdings.add(List.of(spec(1), spec(2), spec(3)));
    holdings.startNext();

    Map<String, Object> body = heartbeat();

    assertThat(body)
        .isEqualTo(
            Map.of(
                "running", List.of(Map.of("jobId", 1L, "attempt", 1L, "startedAt", wall)),
                "leased",
                    List.of(
                        Map.of("jobId", 2L, "attempt", 1L), Map.of("jobId", 3L, "attempt", 1L))));
  }

  @Test
  void cancellingALeasedAttemptDropsIt() {
    holdings.add(List.of(spec(1), spec(2)));

    assertThat(holdings.cancel(new AttemptId(2, 1), "test")).isTrue();

    assertThat(holdings.leasedCount()).isEqualTo(1);
    assertThat(holdings.startNext().id()).isEqualTo(new AttemptId(1, 1));
    assertThat(holdings.startNext()).isNull();
  }

  @Test
  void cancellingTheRunningAttemptCancelsItAndTheHeartbeatStopsReportingIt() {
    holdings.add(List.of(spec(1)));
    Attempt running = holdings.startNext();

    assertThat(holdings.cancel(new AttemptId(1, 1), "test")).isTrue();

    assertThat(running.cancelled()).isTrue();
    assertThat(heartbeat().get("running")).isEqualTo(List.of());
  }

  @Test
  void anAttemptThisWorkerDoesNotHoldIsNotCancelled() {
    holdings.add(List.of(spec(1)));

    assertThat(holdings.cancel(new AttemptId(1, 2), "test")).isFalse();
    assertThat(holdings.leasedCount()).isEqualTo(1);
  }

  @Test
  void fencingDropsTheLeasedAndCancelsTheRunning() {
    holdings.add(List.of(spec(1), spec(2)));
    Attempt running = holdings.startNext();

    assertThat(holdings.dropAll("fenced")).isSameAs(running);

    assertThat(running.cancelled()).isTrue();
    assertThat(holdings.leasedCount()).isZero();
  }

  @Test
  void aClosedWorkerStartsNothingAndTakesNoMoreJobs() {
    holdings.add(List.of(spec(1)));
    Attempt running = holdings.startNext();
    holdings.add(List.of(spec(2)));

    assertThat(holdings.close("exit", false)).isSameAs(running);

    assertThat(running.cancelled()).isFalse();
    assertThat(holdings.startNext()).isNull();
    assertThat(holdings.add(List.of(spec(3)))).isFalse();
    assertThat(holdings.closed()).isTrue();
  }

  @Test
  void anAttemptThatEndedIsReportedFromTheMomentItLeavesTheHoldings() {
    Outbox outbox = new Outbox();
    holdings.add(List.of(spec(1)));
    Attempt attempt = holdings.startNext();
    Completion done = new Completion(attempt.id(), "t", Outcome.SUCCEEDED, 0, 1, 2, null);

    holdings.finished(attempt, done, outbox);

    JsonWriter w = new JsonWriter();
    holdings.writeHeartbeat(w, outbox);
    assertThat(JsonReader.parseObject(w.toString()))
        .containsEntry("running", List.of())
        .containsEntry("reporting", List.of(Map.of("jobId", 1L, "attempt", 1L)));
    assertThat(outbox.unacknowledged()).containsExactly(attempt.id());
  }

  private Map<String, Object> heartbeat() {
    JsonWriter w = new JsonWriter();
    holdings.writeHeartbeat(w);
    return JsonReader.parseObject(w.toString());
  }

  private static JobSpec spec(long jobId) {
    return Specs.aTouchJob().id(jobId, 1).build();
  }
}
