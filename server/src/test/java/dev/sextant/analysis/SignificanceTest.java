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

  @Test
  void latencyIsJudgedOnlyWhenTheRangesAreDisjoint() {
    assertEquals(Verdict.WORSE, Significance.quantileRanges(30, 100.0, 200.0, 30, 210.0, 400.0));
    assertEquals(Verdict.BETTER, Significance.quantileRanges(30, 210.0, 400.0, 30, 100.0, 200.0));
    // Overlapping ranges, or a gap within the sketches' 1 % error, are no difference.
    assertEquals(Verdict.NO_DIFFERENCE, Significance.quantileRanges(30, 100.0, 200.0, 30, 150.0, 400.0));
    assertEquals(Verdict.NO_DIFFERENCE, Significance.quantileRanges(30, 100.0, 200.0, 30, 202.0, 400.0));
    assertEquals(Verdict.NOT_ENOUGH_DATA, Significance.quantileRanges(29, 100.0, 200.0, 30, 900.0, 990.0));
    assertEquals(Verdict.NOT_ENOUGH_DATA, Significance.quantileRanges(30, null, null, 30, 900.0, 990.0));
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
