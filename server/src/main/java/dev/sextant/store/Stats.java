package dev.sextant.store;

import java.util.List;

/** Aggregates of {@code GET /v1/stats}. */
public record Stats(
    RunCounts runs,
    double errorRate,
    Latency latencyMs,
    List<StepTypeStats> byStepType,
    List<FailureCount> failures,
    long retries,
    Tokens tokens,
    double costUsd,
    List<ModelCost> byModel) {

  public record RunCounts(long total, long success, long failure, long partial, long running) {}

  /** Percentiles are continuous (linear interpolation), as PostgreSQL's percentile_cont. */
  public record Latency(Double avg, Double p50, Double p95, Double p99) {}

  public record StepTypeStats(
      String type, long count, long errorCount, Double avgMs, Double p50Ms, Double p95Ms, Double p99Ms,
      double costUsd) {}

  public record FailureCount(String type, String code, long count) {}

  public record Tokens(long input, long output) {}

  /** Steps that name a model, per model: calls, their tokens and cost (most expensive first). */
  public record ModelCost(String model, long steps, long inputTokens, long outputTokens, double costUsd) {}
}
