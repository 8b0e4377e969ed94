package dev.sextant.analysis;

/**
 * Whether version B differs from version A beyond chance, for the compare page.
 *
 * <p>Shares of runs (error rate, one failure type) get a two-sided two-proportion z-test (normal
 * approximation, pooled standard error for the test, unpooled for the 95 % interval of the
 * difference). Means (cost per run) get Welch's test from counts, sums and sums of squares.
 * Latency quantiles (p50, p95) get a z-test of their difference, each side's standard error taken
 * from its distribution-free order-statistic interval: see {@link #quantiles}. Fewer than
 * {@link #MIN_RUNS} runs on either side is never judged (more for a tail quantile).
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
  public static final String QUANTILE_METHOD = "quantile_difference_z_test";
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
   * The fewest runs per side for a test of the {@code q}-quantile: {@link #MIN_RUNS}, and at least 5
   * runs beyond the quantile on each side (100 for p95), below which its interval is too coarse for
   * the test to hold its level.
   */
  public static long minRunsForQuantile(double q) {
    double tail = Math.min(q, 1 - q);
    return Math.max(MIN_RUNS, (long) Math.ceil(5 / tail - 1e-9));
  }

  /**
   * Where to read a side of {@code n} runs for its {@code q}-quantile and that quantile's 95 %
   * distribution-free interval: {@code {q - h, q, q + h}} with {@code h = z·sqrt(q(1-q)/n) + 1/n}, the
   * ranks of the order statistics that bracket it widened by one rank on each side (a continuity
   * correction: without it, the test of a median flags equal distributions in 5.5 to 6 % of seeded
   * trials instead of 5 %), clamped to 0..1.
   */
  public static double[] quantileFractions(double q, long n) {
    double h = n <= 0 ? 0 : Z_975 * Math.sqrt(q * (1 - q) / n) + 1.0 / n;
    return new double[] {Math.max(0, q - h), q, Math.min(1, q + h)};
  }

  /**
   * Compares the {@code q}-quantiles of two sides of {@code nA} and {@code nB} timed runs; lower is
   * better. {@code a} and {@code b} hold each side's values at {@link #quantileFractions}: interval
   * low, the quantile, interval high. Each side's standard error is its interval's width over 2z
   * (McKean and Schrader's estimator, no assumption about the shape of the distribution), the
   * difference gets a z-test and a 95 % interval, and a verdict needs {@code p} < {@link #ALPHA}
   * and a difference beyond the sketches' relative error ({@link #SKETCH_ACCURACY}) on both values.
   */
  public static Proportions quantiles(double q, long nA, Double[] a, long nB, Double[] b) {
    Double qa = nA == 0 ? null : a[1];
    Double qb = nB == 0 ? null : b[1];
    Double diff = qa == null || qb == null ? null : qb - qa;
    long min = minRunsForQuantile(q);
    if (nA < min || nB < min || diff == null || a[0] == null || a[2] == null || b[0] == null || b[2] == null) {
      return new Proportions(qa, qb, diff, null, null, null, Verdict.NOT_ENOUGH_DATA);
    }
    double d = diff;
    double seA = (a[2] - a[0]) / (2 * Z_975);
    double seB = (b[2] - b[0]) / (2 * Z_975);
    double se = Math.sqrt(seA * seA + seB * seB);
    boolean beyondSketch = Math.abs(d) > SKETCH_ACCURACY * (Math.abs(qa) + Math.abs(qb));
    double p = se == 0 ? (beyondSketch ? 0.0 : 1.0) : twoSidedP(d / se);
    Verdict v = p >= ALPHA || !beyondSketch ? Verdict.NO_DIFFERENCE : d < 0 ? Verdict.BETTER : Verdict.WORSE;
    return new Proportions(qa, qb, d, d - Z_975 * se, d + Z_975 * se, p, v);
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
