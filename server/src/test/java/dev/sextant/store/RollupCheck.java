package dev.sextant.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.model.Times;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Compares what a store answers from rollups with what it computes from raw rows: counts and sums
 * equal, each percentile within the sketch's relative accuracy of the order statistics around it.
 */
final class RollupCheck {
  /** The relative accuracy the rollups promise (1 %), with room for floating-point rounding. */
  static final double ALPHA = 0.01 + 1e-9;

  private final Store store;
  private final String project;
  private final Map<String, RunDetail> details = new HashMap<>();
  private final Map<RunQuery, List<RunDetail>> matches = new HashMap<>();

  RollupCheck(Store store, String project) {
    this.store = store;
    this.project = project;
  }

  /** Queries that rollups answer: every run dimension, open and closed time ranges. */
  static List<RunQuery> queries(RollupScenario s, Random r) {
    long span = Math.max(1, s.maxStart - s.minStart);
    long a = s.minStart - RollupScenario.MS + (long) (r.nextDouble() * span);
    long b = a + (long) (r.nextDouble() * span) + 1;
    List<RunQuery> out = new ArrayList<>();
    out.add(RunQuery.all());
    out.add(query("a", null, null, null, null, null, null));
    out.add(query("a", "v1", null, null, null, null, null));
    out.add(query(null, "", "prod", null, null, null, null));
    out.add(query(null, null, null, "failure", "tool", null, null));
    out.add(query(null, null, null, "running", null, null, null));
    out.add(query(null, null, null, null, null, a, b));
    out.add(query("b", null, null, null, null, a, null));
    out.add(query(null, null, null, null, null, null, b));
    return out;
  }

  private static RunQuery query(String agent, String version, String env, String status, String failureType,
      Long from, Long to) {
    return new RunQuery(agent, version, env, status, failureType, null, null, List.of(), null, from, to, null, null,
        RunQuery.Sort.START_TIME, 1000, null);
  }

  void stats(RunQuery q) {
    Stats got = store.stats(project, q);
    Stats want = store.statsFromRows(project, q);
    String where = " for " + q;
    assertThat(got.runs()).as("runs" + where).isEqualTo(want.runs());
    assertThat(got.errorRate()).as("error rate" + where).isCloseTo(want.errorRate(), within(1e-12));
    assertThat(got.retries()).as("retries" + where).isEqualTo(want.retries());
    assertThat(got.tokens()).as("tokens" + where).isEqualTo(want.tokens());
    assertThat(got.costUsd()).as("cost" + where).isCloseTo(want.costUsd(), within(1e-9));
    assertThat(got.failures()).as("failures" + where).isEqualTo(want.failures());
    assertClose(got.latencyMs().avg(), want.latencyMs().avg(), "avg" + where);
    byModel(got, want, where);
    List<RunDetail> runs = matching(q);
    RunMoments cost = store.costPerRun(project, q);
    double sum = 0;
    double sumSq = 0;
    for (RunDetail d : runs) {
      double c = d.run().costUsd() == null ? 0 : d.run().costUsd();
      sum += c;
      sumSq += c * c;
    }
    assertThat(cost.runs()).as("runs with a cost spread" + where).isEqualTo(runs.size());
    assertThat(cost.sum()).as("cost per run, sum" + where).isCloseTo(sum, within(1e-9));
    assertThat(cost.sumOfSquares()).as("cost per run, sum of squares" + where).isCloseTo(sumSq, within(1e-9));
    List<Double> runDurations = new ArrayList<>();
    Map<String, List<Double>> stepDurations = new HashMap<>();
    for (RunDetail d : runs) {
      if (d.run().durationMs() != null) runDurations.add(d.run().durationMs());
      for (StepSummary s : d.steps()) {
        List<Double> l = stepDurations.computeIfAbsent(s.type(), k -> new ArrayList<>());
        if (s.durationMs() != null) l.add(s.durationMs());
      }
    }
    assertPercentiles(got.latencyMs(), runDurations, "run latency" + where);
    RunQuantiles quantiles = store.runQuantiles(project, q, 0.5, 0.95, 0.99);
    assertThat(quantiles.timedRuns()).as("timed runs" + where).isEqualTo(runDurations.size());
    assertPercentiles(new Stats.Latency(null, quantiles.valuesMs()[0], quantiles.valuesMs()[1], quantiles.valuesMs()[2]),
        runDurations, "run quantiles" + where);
    assertThat(got.byStepType()).extracting(Stats.StepTypeStats::type).as("step types" + where)
        .containsExactlyElementsOf(want.byStepType().stream().map(Stats.StepTypeStats::type).toList());
    for (int i = 0; i < want.byStepType().size(); i++) {
      Stats.StepTypeStats g = got.byStepType().get(i);
      Stats.StepTypeStats w = want.byStepType().get(i);
      assertThat(g.count()).as("steps of " + w.type() + where).isEqualTo(w.count());
      assertThat(g.errorCount()).as("errors of " + w.type() + where).isEqualTo(w.errorCount());
      assertThat(g.costUsd()).as("cost of " + w.type() + where).isCloseTo(w.costUsd(), within(1e-9));
      assertClose(g.avgMs(), w.avgMs(), "avg of " + w.type() + where);
      assertPercentiles(new Stats.Latency(g.avgMs(), g.p50Ms(), g.p95Ms(), g.p99Ms()),
          stepDurations.getOrDefault(w.type(), List.of()), "latency of " + w.type() + where);
    }
  }

  /** By model: the same models with the same calls and tokens, costs within rounding (order may differ on ties). */
  private static void byModel(Stats got, Stats want, String where) {
    Map<String, Stats.ModelCost> wanted = new HashMap<>();
    for (Stats.ModelCost m : want.byModel()) wanted.put(m.model(), m);
    assertThat(got.byModel()).extracting(Stats.ModelCost::model).as("models" + where)
        .containsExactlyInAnyOrderElementsOf(wanted.keySet());
    for (Stats.ModelCost g : got.byModel()) {
      Stats.ModelCost w = wanted.get(g.model());
      assertThat(g.steps()).as("calls of " + w.model() + where).isEqualTo(w.steps());
      assertThat(g.inputTokens()).as("input tokens of " + w.model() + where).isEqualTo(w.inputTokens());
      assertThat(g.outputTokens()).as("output tokens of " + w.model() + where).isEqualTo(w.outputTokens());
      assertThat(g.costUsd()).as("cost of " + w.model() + where).isCloseTo(w.costUsd(), within(1e-9));
    }
  }

  void timeseries(RunQuery q, int buckets) {
    Timeseries got = store.timeseries(project, q, buckets);
    Timeseries want = store.timeseriesFromRows(project, q, buckets);
    String where = " for " + q + " in " + buckets + " buckets";
    assertThat(got.bucketMs()).as("bucket" + where).isEqualTo(want.bucketMs());
    assertThat(got.points()).as("points" + where).hasSameSizeAs(want.points());
    List<RunDetail> runs = matching(q);
    for (int i = 0; i < want.points().size(); i++) {
      Timeseries.Point g = got.points().get(i);
      Timeseries.Point w = want.points().get(i);
      String at = " at " + w.startTime() + where;
      assertThat(g.startTime()).as("start" + at).isEqualTo(w.startTime());
      assertThat(g.runs()).as("runs" + at).isEqualTo(w.runs());
      assertThat(g.retries()).as("retries" + at).isEqualTo(w.retries());
      assertThat(g.tokens()).as("tokens" + at).isEqualTo(w.tokens());
      assertThat(g.costUsd()).as("cost" + at).isCloseTo(w.costUsd(), within(1e-9));
      assertClose(g.latencyMs().avg(), w.latencyMs().avg(), "avg" + at);
      long from = Times.toNanos(w.startTime());
      long to = from + want.bucketMs() * 1_000_000L;
      List<Double> durations = new ArrayList<>();
      for (RunDetail d : runs) {
        long start = Times.toNanos(d.run().startTime());
        if (start >= from && start < to && d.run().durationMs() != null) durations.add(d.run().durationMs());
      }
      assertPercentiles(g.latencyMs(), durations, "latency" + at);
    }
  }

  void agents() {
    assertThat(store.agents(project)).isEqualTo(store.agentsFromRows(project));
  }

  /**
   * The runs a query matches, with their steps. Nothing is written while checking, so each query's
   * list and each run are read once.
   */
  private List<RunDetail> matching(RunQuery q) {
    return matches.computeIfAbsent(q, query -> {
      List<RunDetail> out = new ArrayList<>();
      for (RunSummary s : store.listRuns(project, query.withPage(1000, null)).runs()) {
        out.add(details.computeIfAbsent(s.runId(), id -> store.getRun(project, id).orElseThrow()));
      }
      return out;
    });
  }

  private static void assertClose(Double got, Double want, String what) {
    if (want == null) {
      assertThat(got).as(what).isNull();
      return;
    }
    assertThat(got).as(what).isNotNull();
    assertThat(got).as(what).isCloseTo(want, within(1e-6 * Math.max(1, Math.abs(want))));
  }

  /** Each percentile lies within the relative accuracy of the order statistics it falls between. */
  private static void assertPercentiles(Stats.Latency got, List<Double> values, String what) {
    if (values.isEmpty()) {
      assertThat(got.p50()).as(what).isNull();
      return;
    }
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    double[] qs = {0.5, 0.95, 0.99};
    Double[] ps = {got.p50(), got.p95(), got.p99()};
    for (int i = 0; i < qs.length; i++) {
      double pos = qs[i] * (v.size() - 1);
      double lo = v.get((int) Math.floor(pos));
      double hi = v.get((int) Math.ceil(pos));
      assertThat(ps[i]).as("p" + Math.round(qs[i] * 100) + " of " + v + " " + what)
          .isBetween(lo * (1 - ALPHA) - 1e-9, hi * (1 + ALPHA) + 1e-9);
    }
  }
}
