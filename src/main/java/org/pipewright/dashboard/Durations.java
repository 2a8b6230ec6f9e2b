package org.pipewright.dashboard;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Durations as people read them: {@code 850 ms}, {@code 12.4 s}, {@code 3m 05s}, {@code 2h 07m}.
 */
final class Durations {

  private Durations() {}

  static String between(@Nullable Instant start, @Nullable Instant end, Instant now) {
    if (start == null) {
      return "";
    }
    return of(Duration.between(start, end != null ? end : now));
  }

  static String of(Duration duration) {
    long ms = Math.max(0, duration.toMillis());
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(java.util.Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    return String.format(java.util.Locale.ROOT, "%dh %02dm", s / 3600, s / 60 % 60);
  }
}
