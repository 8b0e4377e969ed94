package dev.sextant.store.sql;

import dev.sextant.store.AgentTotals;
import dev.sextant.store.RunQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project's rollups summed over all time for {@code /metrics}: the day tier holds every run (the
 * minute tier only two days), so its rows, merged by dimensions, are the all-time totals. The cost
 * is one indexed range read of days × dimension combinations, independent of the raw row count.
 */
public final class RollupTotals {
  private RollupTotals() {}

  private static final long DAY = Rollup.TIERS[Rollup.TIERS.length - 1];

  /** The totals from the day tier's rows of {@code src}. */
  public static AgentTotals read(RollupSource src, String projectId, double[] runBoundsMs, double[] stepBoundsMs) {
    Map<List<String>, Acc> runs = new LinkedHashMap<>();
    Map<List<String>, Acc> steps = new LinkedHashMap<>();
    RollupRows rows = src.rows(projectId, RunQuery.all());
    rows.runs(DAY, Long.MIN_VALUE, Long.MAX_VALUE, new Rollup.Sink() {
      @Override
      public void run(long bucket, Rollup.RunDims d, Rollup.RunAgg agg) {
        List<String> key = List.of(d.agent(), d.version(), d.environment(), d.status(), d.failureType(),
            d.failureCode());
        Acc a = runs.computeIfAbsent(key, k -> new Acc(runBoundsMs.length + 1));
        a.n[0] += agg.runs;
        a.n[1] += agg.timed;
        a.n[2] = Rollup.total(a.n[2], agg.durationNs);
        agg.latency.addBucketCounts(runBoundsMs, a.buckets);
      }

      @Override
      public void step(long bucket, Rollup.StepDims dims, Rollup.StepAgg agg) {}
    });
    rows.steps(DAY, Long.MIN_VALUE, Long.MAX_VALUE, new Rollup.Sink() {
      @Override
      public void run(long bucket, Rollup.RunDims d, Rollup.RunAgg agg) {}

      @Override
      public void step(long bucket, Rollup.StepDims dims, Rollup.StepAgg agg) {
        Rollup.RunDims d = dims.run();
        List<String> key = List.of(d.agent(), d.version(), d.environment(), dims.type(), dims.model());
        Acc a = steps.computeIfAbsent(key, k -> new Acc(stepBoundsMs.length + 1));
        a.n[0] += agg.steps;
        a.n[1] += agg.errors;
        a.n[2] += agg.retries;
        a.n[3] += agg.timed;
        a.n[4] = Rollup.total(a.n[4], agg.durationNs);
        a.n[5] = Rollup.total(a.n[5], agg.inputTokens);
        a.n[6] = Rollup.total(a.n[6], agg.outputTokens);
        a.cost += agg.costUsd;
        agg.latency.addBucketCounts(stepBoundsMs, a.buckets);
      }
    });
    List<AgentTotals.Runs> outRuns = new ArrayList<>();
    runs.forEach((k, a) -> outRuns.add(new AgentTotals.Runs(Rollup.undim(k.get(0)), Rollup.undim(k.get(1)),
        Rollup.undim(k.get(2)), k.get(3), Rollup.undim(k.get(4)), Rollup.undim(k.get(5)), a.n[0], a.n[1], a.n[2],
        a.buckets)));
    List<AgentTotals.Steps> outSteps = new ArrayList<>();
    steps.forEach((k, a) -> outSteps.add(new AgentTotals.Steps(Rollup.undim(k.get(0)), Rollup.undim(k.get(1)),
        Rollup.undim(k.get(2)), k.get(3), Rollup.undim(k.get(4)), a.n[0], a.n[1], a.n[2], a.n[3], a.n[4], a.n[5],
        a.n[6], a.cost, a.buckets)));
    return new AgentTotals(outRuns, outSteps);
  }

  /** Sums of one dimension combination. */
  private static final class Acc {
    final long[] n = new long[7];
    final long[] buckets;
    double cost;

    Acc(int buckets) {
      this.buckets = new long[buckets];
    }
  }
}
