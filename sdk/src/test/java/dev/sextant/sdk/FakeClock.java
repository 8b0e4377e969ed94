package dev.sextant.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to; wall and monotonic time advance together. */
final class FakeClock implements SdkClock {

  static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

  private final long startEpochNanos = START.getEpochSecond() * 1_000_000_000L;
  private final AtomicLong elapsed = new AtomicLong();

  @Override
  public long epochNanos() {
    return startEpochNanos + elapsed.get();
  }

  @Override
  public long nanoTime() {
    return 5_000_000_000L + elapsed.get();
  }

  FakeClock advance(Duration d) {
    elapsed.addAndGet(d.toNanos());
    return this;
  }

  FakeClock advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  static long epochNanos(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
