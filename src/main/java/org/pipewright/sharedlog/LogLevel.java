package org.pipewright.sharedlog;

import java.util.Locale;
import java.util.Optional;

/** The levels of Python's {@code logging} that Ruffus's logger proxy forwards, lowest first. */
public enum LogLevel {
  DEBUG,
  INFO,
  WARN,
  ERROR;

  /**
   * Reads a level in any case; {@code WARNING}, Python's spelling, is {@link #WARN}.
   *
   * @return the level, or empty when the text names none
   */
  public static Optional<LogLevel> parse(String text) {
    String upper = text.strip().toUpperCase(Locale.ROOT);
    if (upper.equals("WARNING")) {
      return Optional.of(WARN);
    }
    for (LogLevel level : values()) {
      if (level.name().equals(upper)) {
        return Optional.of(level);
      }
    }
    return Optional.empty();
  }
}
