package dev.sextant.analysis;

import dev.sextant.store.RunQuantiles;
import dev.sextant.store.RunQuery;

/**
 * The run latency quantiles of two versions, each with its 95 % interval, and the test of their
 * difference ({@link Significance#quantiles}): what {@code /v1/compare} shows and what a
 * {@code version_worse} alert on latency fires on.
 *
 * @param p50 the test of the medians; {@code p95} of the 95th percentiles
 * @param a the values of A at {@link Significance#quantileFractions} of p50 (0..2) then of p95 (3..5)
 */
public record LatencyComparison(long timedA, long timedB, Double[] a, Double[] b, Significance.Proportions p50,
    Significance.Proportions p95) {

  /** Reads run durations at chosen fractions under a filter. */
  @FunctionalInterface
  public interface Source {
    RunQuantiles read(RunQuery filter, double... fractions);
  }

  /**
   * @param runsA runs of A expected to have a duration, to place the intervals' fractions (the test
   *     itself uses the count the source reports)
   */
  public static LatencyComparison of(Source source, RunQuery a, long runsA, RunQuery b, long runsB) {
    RunQuantiles qa = source.read(a, fractions(runsA));
    RunQuantiles qb = source.read(b, fractions(runsB));
    Double[] va = qa.valuesMs();
    Double[] vb = qb.valuesMs();
    return new LatencyComparison(qa.timedRuns(), qb.timedRuns(), va, vb,
        Significance.quantiles(0.50, qa.timedRuns(), slice(va, 0), qb.timedRuns(), slice(vb, 0)),
        Significance.quantiles(0.95, qa.timedRuns(), slice(va, 3), qb.timedRuns(), slice(vb, 3)));
  }

  /** The interval of A's p50 ({@code offset} 0) or p95 (3): low and high. */
  public Double[] intervalA(int offset) {
    return new Double[] {a[offset], a[offset + 2]};
  }

  public Double[] intervalB(int offset) {
    return new Double[] {b[offset], b[offset + 2]};
  }

  private static double[] fractions(long n) {
    double[] p50 = Significance.quantileFractions(0.50, n);
    double[] p95 = Significance.quantileFractions(0.95, n);
    return new double[] {p50[0], p50[1], p50[2], p95[0], p95[1], p95[2]};
  }

  private static Double[] slice(Double[] values, int offset) {
    return new Double[] {values[offset], values[offset + 1], values[offset + 2]};
  }
}
