package dev.sextant.store.sql;

import dev.sextant.store.RunQuantiles;
import dev.sextant.store.RunQuery;
import java.util.Map;

/**
 * What {@link RollupReader} reads from a backend: rollup and raw rows for a filter, and the exact
 * percentiles of raw rows that it takes instead of sketches when few runs match.
 */
public interface RollupSource {
  /** The rows of the project under the filter {@code q}. */
  RollupRows rows(String projectId, RunQuery q);

  /** The number of matching runs with a duration, and their exact durations at the fractions {@code qs}. */
  RunQuantiles exactRunQuantiles(String projectId, RunQuery q, double... qs);

  /** Exact p50, p95, p99 of the durations of the matching runs' steps, per step type. */
  Map<String, Double[]> exactStepPercentiles(String projectId, RunQuery q);
}
