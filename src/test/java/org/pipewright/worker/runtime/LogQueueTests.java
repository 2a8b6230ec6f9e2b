package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The worker's queue of records on their way to the shared log. */
class LogQueueTests {

  static LogRecord record(String message) {
    return new LogRecord("INFO", message, 1, 2, null, 0, null);
  }

  @Test
  void aFullQueueThatIsNeverStoredDropsTheRecordAfterItsWaitAndTheNextOneSaysHowMany()
      throws Exception {
    LogQueue queue = new LogQueue();
    for (int i = 0; i < LogQueue.MAX_RECORDS; i++) {
      assertThat(queue.append(record("r" + i), 0)).isZero();
    }

    long started = System.nanoTime();
    long droppedBefore = queue.append(record("no room"), 50);
    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(45);
    assertThat(droppedBefore).isZero();
    assertThat(queue.waiting()).isEqualTo(LogQueue.MAX_RECORDS);

    started = System.nanoTime();
    queue.append(record("dropped at once"), 10_000);
    assertThat((System.nanoTime() - started) / 1_000_000)
        .as("once dropping, a full queue does not make every record wait again")
        .isLessThan(1_000);

    List<LogRecord> batch = queue.take(100, Long.MAX_VALUE, 0);
    queue.settle(batch);

    assertThat(queue.append(record("fits again"), 0)).as("records dropped before it").isEqualTo(2);
    assertThat(queue.append(record("and the next"), 0)).isZero();
  }
}
