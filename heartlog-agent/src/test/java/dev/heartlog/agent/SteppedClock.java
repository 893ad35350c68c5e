package dev.heartlog.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A wall clock that stands still until moved, forward or back (as NTP or a VM's host sets one). */
final class SteppedClock extends Clock {
  private Instant now = Instant.parse("2026-12-01T10:00:00Z");

  /** Moves it by {@code by}, back where negative. */
  void advance(Duration by) {
    now = now.plus(by);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
