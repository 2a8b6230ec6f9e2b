package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTests {

  Outbox outbox = new Outbox();

  @Test
  void aCompletionInFlightIsNotTakenAgain() {
    outbox.add(completion(1));
    outbox.add(completion(2));

    assertThat(outbox.takeNow(100)).extracting(Completion::id).containsExactly(id(1), id(2));
    assertThat(outbox.takeNow(100)).isEmpty();
    assertThat(outbox.isEmpty()).isFalse();
  }

  @Test
  void whileTheWorkerHasJobsQueuedCompletionsWaitTheHoldForOthersToJoinThem() throws Exception {
    outbox.add(completion(1));
    Thread later =
        Thread.ofPlatform()
            .start(() -> {
              sleep(100);
              outbox.add(completion(2));
            });

    List<Completion> taken = outbox.take(100, 2_000_000, 500_000_000L, () -> true);

    assertThat(taken).extracting(Completion::id).containsExactly(id(1), id(2));
    later.join();
  }

  @Test
  void withNoJobsQueuedACompletionWaitsOnlyTheLinger() throws Exception {
    outbox.add(completion(1));
    long start = System.nanoTime();

    List<Completion> taken = outbox.take(100, 2_000_000, 5_000_000_000L, () -> false);

    assertThat(taken).extracting(Completion::id).containsExactly(id(1));
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }

  @Test
  void aHoldEndsEarlyOnceTheWorkersQueueIsEmpty() throws Exception {
    outbox.add(completion(1));
    java.util.concurrent.atomic.AtomicBoolean busy =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread.ofPlatform()
        .start(() -> {
          sleep(100);
          busy.set(false);
        });
    long start = System.nanoTime();

    List<Completion> taken = outbox.take(100, 2_000_000, 5_000_000_000L, busy::get);

    assertThat(taken).extracting(Completion::id).containsExactly(id(1));
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void completionsLeaveInTheOrderTheyCameAndNoMoreThanAsked() {
    for (int i = 1; i <= 5; i++) {
      outbox.add(completion(i));
    }

    assertThat(outbox.takeNow(2)).extracting(Completion::id).containsExactly(id(1), id(2));
    assertThat(outbox.takeNow(10)).extracting(Completion::id).containsExactly(id(3), id(4), id(5));
  }

  @Test
  void anAckEndsACompletionWhetherAcceptedOrNot() {
    outbox.add(completion(1));
    outbox.add(completion(2));
    List<Completion> sent = outbox.takeNow(100);

    int unanswered =
        outbox.settle(sent, List.of(new Ack(id(1), true, null), new Ack(id(2), false, "lost")));

    assertThat(unanswered).isZero();
    assertThat(outbox.isEmpty()).isTrue();
  }

  @Test
  void aCompletionTheAnswerDidNotMentionIsSentAgain() {
    outbox.add(completion(1));
    outbox.add(completion(2));
    List<Completion> sent = outbox.takeNow(100);

    assertThat(outbox.settle(sent, List.of(new Ack(id(1), true, null)))).isEqualTo(1);
    assertThat(outbox.takeNow(100)).extracting(Completion::id).containsExactly(id(2));
  }

  @Test
  void theCompletionsOfAFailedCallAreSentAgain() {
    outbox.add(completion(1));
    List<Completion> sent = outbox.takeNow(100);

    outbox.retry(sent);

    assertThat(outbox.takeNow(100)).extracting(Completion::id).containsExactly(id(1));
  }

  @Test
  void waitingForAnEmptyOutboxEndsWhenTheLastAckComes() throws Exception {
    outbox.add(completion(1));
    List<Completion> sent = outbox.takeNow(100);
    Thread acker =
        new Thread(() -> outbox.settle(sent, List.of(new Ack(id(1), true, null))), "acker");
    acker.start();

    assertThat(outbox.awaitEmpty(10_000)).isTrue();
    acker.join();
  }

  static AttemptId id(long jobId) {
    return new AttemptId(jobId, 1);
  }

  static Completion completion(long jobId) {
    return new Completion(id(jobId), "t", Outcome.SUCCEEDED, 0, 1, 2, null);
  }
}
