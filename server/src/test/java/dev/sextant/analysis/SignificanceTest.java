package dev.sextant.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sextant.analysis.Significance.Proportions;
import dev.sextant.analysis.Significance.Verdict;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SignificanceTest {
  private static final int RUNS = 400;

  /** Failed runs among {@code n}, each failing with probability {@code rate}. */
  private static long failures(Random random, int n, double rate) {
    long x = 0;
    for (int i = 0; i < n; i++) if (random.nextDouble() < rate) x++;
    return x;
  }

  private static Verdict sampled(long seed, double rateA, double rateB) {
    Random random = new Random(seed);
    long xA = failures(random, RUNS, rateA);
    long xB = failures(random, RUNS, rateB);
    return Significance.twoProportions(xA, RUNS, xB, RUNS).verdict();
  }

  @Test
  void aTrebledErrorRateIsFlaggedWorse() {
    int worse = 0;
    for (long seed = 0; seed < 100; seed++) if (sampled(seed, 0.05, 0.15) == Verdict.WORSE) worse++;
    assertTrue(worse >= 95, "flagged worse in " + worse + " of 100 seeds");
  }

  @Test
  void aThirdOfTheErrorRateIsFlaggedBetter() {
    int better = 0;
    for (long seed = 0; seed < 100; seed++) if (sampled(seed, 0.15, 0.05) == Verdict.BETTER) better++;
    assertTrue(better >= 95, "flagged better in " + better + " of 100 seeds");
  }

  @Test
  void equalErrorRatesAreRarelyFlagged() {
    int flagged = 0;
    for (long seed = 0; seed < 100; seed++) {
      Verdict v = sampled(seed, 0.10, 0.10);
      if (v == Verdict.BETTER || v == Verdict.WORSE) flagged++;
    }
    assertTrue(flagged <= 5, "flagged better or worse in " + flagged + " of 100 seeds");
  }

  @Test
  void fewerThanThirtyRunsOnEitherSideIsNotJudged() {
    Proportions p = Significance.twoProportions(0, 29, 29, 29);
    assertEquals(Verdict.NOT_ENOUGH_DATA, p.verdict());
    assertEquals(1.0, p.diff(), 1e-12);
    assertNull(p.pValue());
    assertNull(p.ciLow());
    assertEquals(Verdict.NOT_ENOUGH_DATA, Significance.twoProportions(0, 1000, 10, 29).verdict());
    Proportions empty = Significance.twoProportions(0, 0, 3, 100);
    assertEquals(Verdict.NOT_ENOUGH_DATA, empty.verdict());
    assertNull(empty.a());
    assertNull(empty.diff());
  }

  @Test
  void theExampleFromTheComparePageIsNoDifference() {
    // 45 vs 63 failures out of 500 runs each: a 40 % relative change, but within chance.
    Proportions p = Significance.twoProportions(45, 500, 63, 500);
    assertEquals(Verdict.NO_DIFFERENCE, p.verdict());
    assertTrue(p.pValue() > 0.05 && p.pValue() < 0.1, "p = " + p.pValue());
    assertTrue(p.ciLow() < 0 && p.ciHigh() > 0);
  }

  @Test
  void zTestMatchesAHandComputation() {
    // 50/500 vs 80/500: pooled 0.13, se = sqrt(0.13 * 0.87 * 2 / 500) = 0.021270..., z = 1.41046...
    Proportions p = Significance.twoProportions(50, 500, 80, 500);
    double z = 0.06 / Math.sqrt(0.13 * 0.87 * 2 / 500);
    assertEquals(2 * (1 - Significance.normalCdf(z)), p.pValue(), 1e-7);
    assertEquals(Verdict.WORSE, p.verdict());
    double se = Math.sqrt(0.1 * 0.9 / 500 + 0.16 * 0.84 / 500);
    assertEquals(0.06 - 1.959963984540054 * se, p.ciLow(), 1e-12);
    assertEquals(0.06 + 1.959963984540054 * se, p.ciHigh(), 1e-12);
    Proportions none = Significance.twoProportions(0, 100, 0, 100);
    assertEquals(Verdict.NO_DIFFERENCE, none.verdict());
    assertEquals(1.0, none.pValue());
  }

  @Test
  void normalCdfMatchesKnownValues() {
    assertEquals(0.5, Significance.normalCdf(0), 1e-7);
    assertEquals(0.975, Significance.normalCdf(1.959963984540054), 1e-7);
    assertEquals(0.8413447460685429, Significance.normalCdf(1), 1e-7);
    assertEquals(0.0013498980316301, Significance.normalCdf(-3), 1e-9);
    assertEquals(0.05, Significance.twoSidedP(1.959963984540054), 1e-7);
    // Relative accuracy in the far tail: 2 * (1 - Phi(6)) = 1.973175290e-9.
    assertEquals(1.973175290e-9, Significance.twoSidedP(6), 1.973175290e-9 * 1e-6);
  }

  /** A sorted sample's value at fraction {@code f}, interpolated as SQL's percentile_cont does. */
  private static double percentile(double[] sorted, double f) {
    double rank = f * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
  }

  private static Double[] at(double[] sorted, double[] fractions) {
    Double[] out = new Double[fractions.length];
    for (int i = 0; i < fractions.length; i++) out[i] = percentile(sorted, fractions[i]);
    return out;
  }

  /** Log-normal run latencies (median 400 ms), {@code n} per side, B's scaled by {@code shift}. */
  private static Verdict latencies(long seed, int n, double q, double shift) {
    Random random = new Random(seed);
    double[] a = new double[n];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = 400 * Math.exp(0.8 * random.nextGaussian());
      b[i] = 400 * shift * Math.exp(0.8 * random.nextGaussian());
    }
    java.util.Arrays.sort(a);
    java.util.Arrays.sort(b);
    double[] f = Significance.quantileFractions(q, n);
    return Significance.quantiles(q, n, at(a, f), n, at(b, f)).verdict();
  }

  @Test
  void aP95FortyPercentSlowerIsFlaggedWorse() {
    int worse = 0;
    for (long seed = 0; seed < 100; seed++) if (latencies(seed, 1000, 0.95, 1.4) == Verdict.WORSE) worse++;
    assertTrue(worse >= 95, "flagged worse in " + worse + " of 100");
  }

  @Test
  void aMedianTwentyPercentFasterIsFlaggedBetter() {
    int better = 0;
    for (long seed = 0; seed < 100; seed++) if (latencies(seed, 1000, 0.50, 0.8) == Verdict.BETTER) better++;
    assertTrue(better >= 95, "flagged better in " + better + " of 100");
  }

  @Test
  void equalP95sAreRarelyFlagged() {
    int flagged = 0;
    for (long seed = 0; seed < 100; seed++) {
      Verdict v = latencies(seed, 1000, 0.95, 1.0);
      if (v == Verdict.WORSE || v == Verdict.BETTER) flagged++;
    }
    assertTrue(flagged <= 5, "flagged in " + flagged + " of 100");
  }

  /**
   * Equal latency distributions are flagged at most at the tests' 5 % level. A test at exactly 5 %
   * flags 5 of 100 seeds on average and more than 5 about a third of the time, so the level is
   * checked over 2,000 seeds, where 6 % is more than three standard errors above 5 %.
   */
  @Test
  void equalLatenciesAreFlaggedAtMostAtTheTestsLevel() {
    for (double q : new double[] {0.50, 0.95}) {
      for (int n : new int[] {(int) Significance.minRunsForQuantile(q), 1000}) {
        int flagged = 0;
        for (long seed = 0; seed < 2000; seed++) {
          Verdict v = latencies(seed, n, q, 1.0);
          if (v == Verdict.WORSE || v == Verdict.BETTER) flagged++;
        }
        assertTrue(flagged <= 120, "q " + q + ", " + n + " runs: flagged in " + flagged + " of 2000");
      }
    }
  }

  @Test
  void latencyQuantilesMatchAHandComputation() {
    // A's p95 200 in [180, 230], B's 300 in [260, 330]: se = sqrt((50/2z)^2 + (70/2z)^2)
    Proportions p = Significance.quantiles(0.95, 400, new Double[] {180.0, 200.0, 230.0}, 400,
        new Double[] {260.0, 300.0, 330.0});
    double z = 1.959963984540054;
    double se = Math.sqrt(Math.pow(50 / (2 * z), 2) + Math.pow(70 / (2 * z), 2));
    assertEquals(100.0, p.diff(), 1e-12);
    assertEquals(Significance.twoSidedP(100 / se), p.pValue(), 1e-12);
    assertEquals(100 - z * se, p.ciLow(), 1e-9);
    assertEquals(Verdict.WORSE, p.verdict());
    // p95 needs 5 runs beyond it on each side: 100 runs
    assertEquals(100, Significance.minRunsForQuantile(0.95));
    assertEquals(30, Significance.minRunsForQuantile(0.50));
    Proportions few = Significance.quantiles(0.95, 99, new Double[] {180.0, 200.0, 230.0}, 400,
        new Double[] {260.0, 300.0, 330.0});
    assertEquals(Verdict.NOT_ENOUGH_DATA, few.verdict());
    assertNull(few.pValue());
    // A difference within the sketches' 1 % error is never called, however narrow the intervals.
    Proportions close = Significance.quantiles(0.50, 400, new Double[] {200.0, 200.0, 200.0}, 400,
        new Double[] {203.0, 203.0, 203.0});
    assertEquals(Verdict.NO_DIFFERENCE, close.verdict());
    double[] f = Significance.quantileFractions(0.95, 400);
    // the order statistics' interval, one rank wider on each side
    assertEquals(0.95 - z * Math.sqrt(0.95 * 0.05 / 400) - 1.0 / 400, f[0], 1e-12);
    assertEquals(1.0, Significance.quantileFractions(0.95, 30)[2], 0.0);
  }

  /** Welch's test on {@link #RUNS} log-normal costs per run on each side, the mean of B scaled by {@code shift}. */
  private static Verdict costs(long seed, double shift) {
    Random random = new Random(seed);
    double[] a = new double[3];
    double[] b = new double[3];
    for (int i = 0; i < RUNS; i++) {
      double x = 0.01 * Math.exp(0.5 * random.nextGaussian());
      double y = 0.01 * shift * Math.exp(0.5 * random.nextGaussian());
      a[0]++;
      a[1] += x;
      a[2] += x * x;
      b[0]++;
      b[1] += y;
      b[2] += y * y;
    }
    return Significance.means((long) a[0], a[1], a[2], (long) b[0], b[1], b[2]).verdict();
  }

  @Test
  void aCostPerRunThirtyPercentHigherIsFlaggedWorse() {
    int worse = 0;
    for (long seed = 0; seed < 100; seed++) if (costs(seed, 1.3) == Verdict.WORSE) worse++;
    assertTrue(worse >= 95, "flagged worse in " + worse + " of 100");
  }

  @Test
  void equalCostsPerRunAreRarelyFlagged() {
    int flagged = 0;
    for (long seed = 0; seed < 100; seed++) {
      Verdict v = costs(seed, 1.0);
      if (v == Verdict.WORSE || v == Verdict.BETTER) flagged++;
    }
    assertTrue(flagged <= 5, "flagged in " + flagged + " of 100");
  }

  @Test
  void meansMatchAHandComputation() {
    // A: 1, 2, 3 ... 40 (mean 20.5, variance 136.67); B: the same plus 10
    double sumA = 0;
    double sqA = 0;
    double sumB = 0;
    double sqB = 0;
    for (int i = 1; i <= 40; i++) {
      sumA += i;
      sqA += i * i;
      sumB += i + 10;
      sqB += (i + 10) * (i + 10);
    }
    Proportions p = Significance.means(40, sumA, sqA, 40, sumB, sqB);
    double se = Math.sqrt(2 * (40 * 41 / 12.0) / 40);
    assertEquals(20.5, p.a(), 1e-12);
    assertEquals(10.0, p.diff(), 1e-12);
    assertEquals(10.0 - 1.959963984540054 * se, p.ciLow(), 1e-9);
    assertEquals(Significance.twoSidedP(10.0 / se), p.pValue(), 1e-12);
    assertEquals(Verdict.WORSE, p.verdict());
    assertEquals(Verdict.NOT_ENOUGH_DATA, Significance.means(29, sumA, sqA, 40, sumB, sqB).verdict());
    assertNull(Significance.means(29, sumA, sqA, 40, sumB, sqB).pValue());
  }
}
