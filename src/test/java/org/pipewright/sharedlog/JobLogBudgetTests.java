package org.pipewright.sharedlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pipewright.SteppedClock;

/** A job's allowance of shared-log characters per minute. */
class JobLogBudgetTests {

  final SteppedClock clock = new SteppedClock();
  final JobLogBudget budget = new JobLogBudget(100, clock);

  static NewRecord line(Long jobId, int chars) {
    return new NewRecord(
        Instant.EPOCH, LogLevel.INFO, "s", null, null, jobId, null, "x".repeat(chars));
  }

  @Test
  void aJobMayWriteItsAllowanceInAMinuteAndABatchPastItIsRefusedWhole() {
    budget.charge(List.of(line(1L, 60)));

    assertThatThrownBy(() -> budget.charge(List.of(line(1L, 30), line(1L, 20))))
        .isInstanceOfSatisfying(
            LogVolumeExceededException.class, e -> assertThat(e.status()).isEqualTo(429))
        .hasMessageContaining("job 1 wrote more than 100 characters");
    // Nothing of the refused batch was counted.
    budget.charge(List.of(line(1L, 40)));
  }

  @Test
  void theAllowanceComesBackWithTheNextMinute() {
    budget.charge(List.of(line(1L, 100)));
    assertThatThrownBy(() -> budget.charge(List.of(line(1L, 1))))
        .isInstanceOf(LogVolumeExceededException.class);

    clock.step(Duration.ofMinutes(1));

    budget.charge(List.of(line(1L, 100)));
  }

  @Test
  void eachJobHasItsOwnAllowanceAndRecordsOfNoJobAreNotCounted() {
    budget.charge(List.of(line(1L, 100)));

    budget.charge(List.of(line(2L, 100), line(null, 10_000)));
  }
}
