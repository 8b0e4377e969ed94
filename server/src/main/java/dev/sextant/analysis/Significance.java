package dev.sextant.analysis;

/**
 * Whether version B differs from version A beyond chance, for the compare page.
 *
 * <p>Shares of runs (error rate, one failure type) get a two-sided two-proportion z-test (normal
 * approximation, pooled standard error for the test, unpooled for the 95 % interval of the
 * difference). Latency has only quantiles per side, so it gets a conservative rule instead of a
 * test: see {@link #quantileRanges}. Fewer than {@link #MIN_RUNS} runs on either side is never
 * judged.
 */
public final class Significance {
  /** Below this many runs on either side the verdict is {@link Verdict#NOT_ENOUGH_DATA}. */
  public static final int MIN_RUNS = 30;
  /** Significance level of every test. */
  public static final double ALPHA = 0.05;
  /** The standard normal quantile at 0.975: half-width of a 95 % interval in standard errors. */
  public static final double Z_975 = 1.959963984540054;
  /** Relative accuracy of a latency quantile read from rollup sketches. */
  public static final double SKETCH_ACCURACY = 0.01;

  public static final String PROPORTION_METHOD = "two_proportion_z_test";
  public static final String LATENCY_METHOD = "p50_p95_ranges_disjoint";
  public static final String MEAN_METHOD = "welch_z_test";

  private Significance() {}

  /** For metrics where lower is better: {@code BETTER} means B is lower than A. */
  public enum Verdict {
    BETTER, WORSE, NO_DIFFERENCE, NOT_ENOUGH_DATA;

    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The comparison of two shares of runs. {@code a}, {@code b} and {@code diff} ({@code b - a}) are
   * null when a side has no runs; the interval and p-value are null under {@link #MIN_RUNS}.
   */
  public record Proportions(Double a, Double b, Double diff, Double ciLow, Double ciHigh, Double pValue, Verdict verdict) {}

  /** Compares {@code xA} of {@code nA} runs with {@code xB} of {@code nB}; lower share is better. */
  public static Proportions twoProportions(long xA, long nA, long xB, long nB) {
    if (xA < 0 || xB < 0 || xA > nA || xB > nB) throw new IllegalArgumentException("counts must lie in 0..runs");
    Double pa = nA == 0 ? null : (double) xA / nA;
    Double pb = nB == 0 ? null : (double) xB / nB;
    Double diff = pa == null || pb == null ? null : pb - pa;
    if (nA < MIN_RUNS || nB < MIN_RUNS) return new Proportions(pa, pb, diff, null, null, null, Verdict.NOT_ENOUGH_DATA);
    double d = diff;
    double pooled = (double) (xA + xB) / (nA + nB);
    double sePooled = Math.sqrt(pooled * (1 - pooled) * (1.0 / nA + 1.0 / nB));
    // Both shares 0 (or both 1): nothing varies, so nothing differs.
    double p = sePooled == 0 ? 1.0 : twoSidedP(d / sePooled);
    double se = Math.sqrt(pa * (1 - pa) / nA + pb * (1 - pb) / nB);
    Verdict v = p >= ALPHA ? Verdict.NO_DIFFERENCE : d < 0 ? Verdict.BETTER : Verdict.WORSE;
    return new Proportions(pa, pb, d, d - Z_975 * se, d + Z_975 * se, p, v);
  }

  /**
   * Compares two means from each side's count, sum and sum of squares (Welch's test with the normal
   * distribution: at {@link #MIN_RUNS} and more runs per side the t distribution's quantiles are
   * within 4 % of it); lower is better. {@code a} and {@code b} are the means.
   */
  public static Proportions means(long nA, double sumA, double sumSqA, long nB, double sumB, double sumSqB) {
    Double ma = nA == 0 ? null : sumA / nA;
    Double mb = nB == 0 ? null : sumB / nB;
    Double diff = ma == null || mb == null ? null : mb - ma;
    if (nA < MIN_RUNS || nB < MIN_RUNS) return new Proportions(ma, mb, diff, null, null, null, Verdict.NOT_ENOUGH_DATA);
    double d = diff;
    double se = Math.sqrt(variance(nA, sumA, sumSqA) / nA + variance(nB, sumB, sumSqB) / nB);
    double p = se == 0 ? (d == 0 ? 1.0 : 0.0) : twoSidedP(d / se);
    Verdict v = p >= ALPHA || d == 0 ? Verdict.NO_DIFFERENCE : d < 0 ? Verdict.BETTER : Verdict.WORSE;
    return new Proportions(ma, mb, d, d - Z_975 * se, d + Z_975 * se, p, v);
  }

  /** The sample variance from a count, a sum and a sum of squares; never negative. */
  public static double variance(long n, double sum, double sumSq) {
    if (n < 2) return 0;
    double mean = sum / n;
    return Math.max(0, (sumSq - n * mean * mean) / (n - 1));
  }

  /**
   * Latency, where each side has only quantile estimates: B is {@code WORSE} when its p50 lies above
   * A's p95, {@code BETTER} when its p95 lies below A's p50, beyond the sketches' relative error on
   * both values; otherwise {@code NO_DIFFERENCE}. That is, at least half of one side's runs are
   * slower than all but 5 % of the other's — a shift no chance variation produces at 30 runs or more.
   * Any quantile missing, or fewer than {@link #MIN_RUNS} timed runs on a side: {@code NOT_ENOUGH_DATA}.
   */
  public static Verdict quantileRanges(long nA, Double p50A, Double p95A, long nB, Double p50B, Double p95B) {
    if (nA < MIN_RUNS || nB < MIN_RUNS || p50A == null || p95A == null || p50B == null || p95B == null) {
      return Verdict.NOT_ENOUGH_DATA;
    }
    double lo = 1 - SKETCH_ACCURACY;
    double hi = 1 + SKETCH_ACCURACY;
    if (p50B * lo > p95A * hi) return Verdict.WORSE;
    if (p95B * hi < p50A * lo) return Verdict.BETTER;
    return Verdict.NO_DIFFERENCE;
  }

  /** Two-sided p-value of a standard normal statistic. */
  public static double twoSidedP(double z) {
    return Math.min(1.0, erfc(Math.abs(z) / Math.sqrt(2)));
  }

  /** The standard normal cumulative distribution function. */
  public static double normalCdf(double z) {
    return 0.5 * erfc(-z / Math.sqrt(2));
  }

  /**
   * The complementary error function, by the Chebyshev-fitted exponential approximation in Press et
   * al., <i>Numerical Recipes</i> §6.2: fractional error below 1.2e-7 for every x, so p-values stay
   * accurate in the tail, where a plain error-function approximation loses them to cancellation.
   */
  public static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277))))))));
    double r = t * Math.exp(poly);
    return x >= 0 ? r : 2 - r;
  }
}
