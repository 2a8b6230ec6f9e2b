package org.pipewright.worker.runtime;

/**
 * ISO-8601 UTC times ({@code 2025-11-28T05:45:00.123Z}) for log lines, computed by hand: {@code
 * Instant.toString()} would load the whole of {@code java.time.format} into a starting worker.
 */
final class Timestamps {

  private Timestamps() {}

  static String iso(long epochMillis) {
    StringBuilder sb = new StringBuilder(24);
    append(sb, epochMillis);
    return sb.toString();
  }

  static void append(StringBuilder sb, long epochMillis) {
    long days = Math.floorDiv(epochMillis, 86_400_000L);
    long millisOfDay = Math.floorMod(epochMillis, 86_400_000L);
    // Howard Hinnant's civil_from_days.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    pad(sb, year, 4).append('-');
    pad(sb, month, 2).append('-');
    pad(sb, day, 2).append('T');
    pad(sb, millisOfDay / 3_600_000, 2).append(':');
    pad(sb, millisOfDay / 60_000 % 60, 2).append(':');
    pad(sb, millisOfDay / 1000 % 60, 2).append('.');
    pad(sb, millisOfDay % 1000, 3).append('Z');
  }

  private static StringBuilder pad(StringBuilder sb, long value, int width) {
    String digits = Long.toString(value);
    for (int i = digits.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(digits);
  }
}
