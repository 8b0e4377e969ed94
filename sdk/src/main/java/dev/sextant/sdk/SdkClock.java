package dev.sextant.sdk;

import java.time.Instant;

/**
 * Time source of the SDK. Wall-clock time anchors a run; every duration inside the run is measured
 * with the monotonic clock, so a clock step during a run cannot produce negative durations.
 */
interface SdkClock {

  /** Wall-clock time in nanoseconds since the epoch. */
  long epochNanos();

  /** Monotonic time in nanoseconds, for durations only. */
  long nanoTime();

  SdkClock SYSTEM = new SdkClock() {
    @Override
    public long epochNanos() {
      Instant now = Instant.now();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }
  };
}
