package dev.sextant.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.analysis.LatencyComparison;
import dev.sextant.analysis.Significance;
import dev.sextant.model.Json;
import dev.sextant.store.RunMoments;
import dev.sextant.store.Stats;
import java.util.Map;

/** The {@code significance} object of {@code GET /v1/compare}: which differences are beyond chance. */
final class CompareSignificance {
  private CompareSignificance() {}

  /**
   * @param costA cost per run of A's raw runs ({@code costB} of B's)
   * @param failures per failure {@code type\0code}, the runs of A and of B that failed so, in the
   *     order of the response's {@code failures} rows
   */
  static ObjectNode of(Stats a, Stats b, Map<String, long[]> failures, RunMoments costA, RunMoments costB,
      LatencyComparison latency) {
    ObjectNode o = Json.object();
    o.put("alpha", Significance.ALPHA);
    o.put("min_runs", Significance.MIN_RUNS);
    long nA = a.runs().total();
    long nB = b.runs().total();
    o.set("error_rate", proportions(a.runs().failure(), nA, b.runs().failure(), nB));
    ArrayNode rows = o.putArray("failures");
    for (Map.Entry<String, long[]> e : failures.entrySet()) {
      failureRow(rows, e.getKey()).setAll(proportions(Math.min(e.getValue()[0], nA), nA, Math.min(e.getValue()[1], nB), nB));
    }
    o.set("latency_p50_ms", quantile(latency, latency.p50(), 0));
    ObjectNode p95 = quantile(latency, latency.p95(), 3);
    put(p95, "a_p50", latency.p50().a());
    put(p95, "b_p50", latency.p50().b());
    o.set("latency_p95_ms", p95);
    o.set("cost_per_run_usd", cost(costA, costB));
    return o;
  }

  /** Adds a row for the failure {@code type\0code} to {@code rows}, with its type and code. */
  static ObjectNode failureRow(ArrayNode rows, String key) {
    String[] parts = key.split("\u0000", 2);
    ObjectNode row = rows.addObject();
    row.put("type", parts[0]);
    row.put("code", parts[1]);
    return row;
  }

  private static ObjectNode proportions(long xA, long nA, long xB, long nB) {
    return json(Significance.twoProportions(xA, nA, xB, nB), Significance.PROPORTION_METHOD);
  }

  /** A test's fields: both sides, their difference, its interval, the p-value and the verdict. */
  private static ObjectNode json(Significance.Proportions p, String method) {
    ObjectNode o = Json.object();
    put(o, "a", p.a());
    put(o, "b", p.b());
    put(o, "diff", p.diff());
    put(o, "ci_low", p.ciLow());
    put(o, "ci_high", p.ciHigh());
    put(o, "p_value", p.pValue());
    o.put("verdict", p.verdict().json());
    o.put("method", method);
    return o;
  }

  /**
   * A latency quantile's test: the fields of every test, each side's 95 % interval and timed runs,
   * the fewest runs tested and the sketches' relative error.
   */
  private static ObjectNode quantile(LatencyComparison l, Significance.Proportions test, int offset) {
    ObjectNode o = json(test, Significance.QUANTILE_METHOD);
    put(o, "a_ci_low", l.intervalA(offset)[0]);
    put(o, "a_ci_high", l.intervalA(offset)[1]);
    put(o, "b_ci_low", l.intervalB(offset)[0]);
    put(o, "b_ci_high", l.intervalB(offset)[1]);
    o.put("a_runs", l.timedA());
    o.put("b_runs", l.timedB());
    o.put("min_runs", Significance.minRunsForQuantile(offset == 0 ? 0.50 : 0.95));
    o.put("tolerance", Significance.SKETCH_ACCURACY);
    return o;
  }

  /** Welch's test on the mean cost per run, from the rollups' sums of run costs and of their squares. */
  private static ObjectNode cost(RunMoments a, RunMoments b) {
    return json(Significance.means(a.runs(), a.sum(), a.sumOfSquares(), b.runs(), b.sum(), b.sumOfSquares()),
        Significance.MEAN_METHOD);
  }

  private static void put(ObjectNode o, String field, Double v) {
    if (v == null) o.putNull(field);
    else o.put(field, v);
  }
}
