package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTests {

  @ParameterizedTest
  @ValueSource(
      longs = {
        0L,
        1L,
        951_782_400_000L, // 2000-02-29, a leap day of a century divisible by 400
        4_107_542_399_999L, // 2100-02-28T23:59:59.999, the 2100 is no leap year
        1_764_300_000_123L,
        253_402_300_799_999L // 9999-12-31T23:59:59.999
      })
  void timesReadAsInstantWritesThemWithMilliseconds(long millis) {
    String expected = Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.MILLIS).toString();
    String withMillis = expected.contains(".") ? expected : expected.replace("Z", ".000Z");

    assertThat(Timestamps.iso(millis)).isEqualTo(withMillis);
  }
}
