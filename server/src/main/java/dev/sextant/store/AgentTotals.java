package dev.sextant.store;

import java.util.List;

/**
 * A project's rollup totals over all time (every stored day bucket summed), for the agent metrics
 * of {@code /metrics}. Dimension values are null when a run or step has none.
 *
 * @param runs one row per agent, version, environment, status and failure
 * @param steps one row per agent, version, environment, step type and model
 */
public record AgentTotals(List<Runs> runs, List<Steps> steps) {
  public AgentTotals {
    runs = List.copyOf(runs);
    steps = List.copyOf(steps);
  }

  /**
   * @param durationBuckets how many timed runs fall at or below each of the asked bounds, not
   *     cumulative, plus one last entry for those above every bound; each duration is placed by its
   *     sketch value, within 1 % of the true duration
   */
  public record Runs(String agent, String version, String environment, String status, String failureType,
      String failureCode, long runs, long timed, long durationNs, long[] durationBuckets) {}

  /** Step totals; {@code durationBuckets} as in {@link Runs}. */
  public record Steps(String agent, String version, String environment, String stepType, String model,
      long steps, long errors, long retries, long timed, long durationNs, long inputTokens, long outputTokens,
      double costUsd, long[] durationBuckets) {}
}
