package dev.sextant.store;

import java.time.Instant;
import java.util.List;

/** Run statistics per time bucket, oldest first. */
public record Timeseries(long bucketMs, List<Point> points) {
  public record Point(
      Instant startTime,
      Stats.RunCounts runs,
      double errorRate,
      Stats.Latency latencyMs,
      long retries,
      Stats.Tokens tokens,
      double costUsd) {}
}
