package dev.sextant.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;

class LatencyBinsTest {

  @Property(tries = 200)
  void removingWhatWasAdded_leavesExactlyTheRest(@ForAll @Size(min = 1, max = 50) List<@DoubleRange(min = 0,
      max = 1e7) Double> kept, @ForAll @Size(max = 50) List<@DoubleRange(min = 0, max = 1e7) Double> removed) {
    LatencyBins bins = new LatencyBins();
    for (double v : kept) bins.add(v, 1);
    for (double v : removed) bins.add(v, 1);
    for (double v : removed) bins.add(v, -1);
    LatencyBins expected = new LatencyBins();
    for (double v : kept) expected.add(v, 1);
    assertThat(bins.encode()).isEqualTo(expected.encode());
    assertThat(LatencyBins.decode(bins.encode()).encode()).isEqualTo(expected.encode());
    assertThat(bins.count()).isEqualTo(kept.size());
  }

  @Property(tries = 100)
  void quantiles_areWithinOnePercentOfTheValueAtTheirRank(@ForAll long seed) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(5000);
    List<Double> values = new ArrayList<>();
    LatencyBins merged = new LatencyBins();
    LatencyBins part = new LatencyBins();
    for (int i = 0; i < n; i++) {
      double v = Math.exp(r.nextGaussian() * 3 + 5); // heavy-tailed, like latencies
      values.add(v);
      part.add(v, 1);
      if (r.nextInt(100) == 0) { // merged from many encoded rows, as a query does
        merged.addEncoded(part.encode(), 1);
        part = new LatencyBins();
      }
    }
    merged.addEncoded(part.encode(), 1);
    Collections.sort(values);
    double[] qs = {0.5, 0.95, 0.99};
    Double[] got = merged.quantiles(qs);
    for (int i = 0; i < qs.length; i++) {
      double want = values.get((int) Math.floor(qs[i] * (n - 1)));
      assertThat(Math.abs(got[i] - want)).isLessThanOrEqualTo(want * LatencyBins.RELATIVE_ACCURACY * (1 + 1e-9));
    }
  }

  @Example
  void valuesArrivingInDescendingOrder_growTheBinsOnlyAsFarAsNeeded() {
    LatencyBins bins = new LatencyBins();
    for (int i = 100_000; i > 0; i--) bins.add(i / 10.0, 1); // each a little left of the last
    assertThat(bins.count()).isEqualTo(100_000);
    assertThat(bins.encode().length).isLessThan(10_000);
    assertThat(bins.quantiles(0.5)[0]).isCloseTo(5000.0, org.assertj.core.data.Percentage.withPercentage(1.01));
  }

  @Example
  void emptyBins_encodeAsNothing_andHaveNoQuantiles() {
    LatencyBins bins = new LatencyBins();
    bins.add(12.5, 1);
    bins.add(12.5, -1);
    assertThat(bins.encode()).isNull();
    assertThat(bins.quantiles(0.5)).containsExactly((Double) null);
  }

  @Property(tries = 20)
  void zeroAndNegative_areKeptApart(@ForAll @DoubleRange(min = 0.01, max = 1e6) double v) {
    LatencyBins bins = new LatencyBins();
    bins.add(0, 1);
    bins.add(-v, 1);
    bins.add(v, 1);
    Double[] q = LatencyBins.decode(bins.encode()).quantiles(0, 0.5, 1);
    assertThat(q[0]).isCloseTo(-v, org.assertj.core.data.Percentage.withPercentage(1.0001));
    assertThat(q[1]).isEqualTo(0.0);
    assertThat(q[2]).isCloseTo(v, org.assertj.core.data.Percentage.withPercentage(1.0001));
  }

  @Property(tries = 300)
  void bucketCounts_neverCountAValueAboveABoundItDoesNotExceed_norMoreThanOneBinWidthAboveOne(
      @ForAll @DoubleRange(min = 0.001, max = 1e7) @net.jqwik.api.constraints.Scale(6) double value) {
    double[] bounds = {value / 1.03, value / 1.0202, value / 1.0001, value, value * 1.0001, value * 1.03};
    java.util.Arrays.sort(bounds);
    LatencyBins bins = new LatencyBins();
    bins.add(value, 1);
    long[] out = new long[bounds.length + 1];
    bins.addBucketCounts(bounds, out);
    int at = 0;
    while (out[at] == 0) at++;
    assertThat(out[at]).isEqualTo(1);
    for (int i = 0; i < bounds.length; i++) {
      // at or below a bound: counted at it or lower; counted at a bound: less than one bin width
      // above it, a factor (1 + a) / (1 - a) = 1.0202 at a relative accuracy a of 1 %
      double binWidth = (1 + LatencyBins.RELATIVE_ACCURACY) / (1 - LatencyBins.RELATIVE_ACCURACY);
      if (value <= bounds[i]) assertThat(at).as("bound %s", bounds[i]).isLessThanOrEqualTo(i);
      if (at == i) assertThat(value).isLessThan(bounds[i] * binWidth * (1 + 1e-9));
    }
  }

  @Example
  void aValueMoreThanTwoPercentAboveABound_mayStillBeCountedAtIt_withinOneBinWidth() {
    // found by the property above: 2.82931 is counted at 2.82931 / 1.0202, 2.02 % below it
    bucketCounts_neverCountAValueAboveABoundItDoesNotExceed_norMoreThanOneBinWidthAboveOne(2.82931);
  }

  @Example
  void bucketCounts_ofZeroAndNegativeValues_areInTheFirstBucket() {
    LatencyBins bins = new LatencyBins();
    bins.add(0, 2);
    bins.add(-5, 1);
    bins.add(1e9, 1);
    long[] out = new long[3];
    bins.addBucketCounts(new double[] {1, 10}, out);
    assertThat(out).containsExactly(3, 0, 1);
  }
}
