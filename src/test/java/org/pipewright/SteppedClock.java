package org.pipewright;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when a test steps it; safe to read from several threads. */
public final class SteppedClock extends Clock {

  private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }

  /** Moves the clock on. */
  public void step(Duration by) {
    now = now.plus(by);
  }
}
