package dev.sextant.store.sql;

import dev.sextant.model.Times;
import dev.sextant.store.AgentSummary;
import dev.sextant.store.RunQuery;
import dev.sextant.store.Stats;
import dev.sextant.store.Timeseries;
import dev.sextant.store.sql.Rollup.RunAgg;
import dev.sextant.store.sql.Rollup.RunDims;
import dev.sextant.store.sql.Rollup.StepAgg;
import dev.sextant.store.sql.Rollup.StepDims;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/stats}, {@code /v1/timeseries} and {@code /v1/agents} from rollups (see
 * {@link RollupScan} for which rows answer which part of a range). Counts and sums are exact;
 * percentiles come from the merged sketches, within {@link LatencyBins#RELATIVE_ACCURACY}, except
 * that stats over at most {@code exactLimit} timed runs (or steps) whose raw rows are all kept
 * take them exactly from the raw rows, which costs little at that size.
 */
public final class RollupReader {
  private static final double[] QUANTILES = {0.50, 0.95, 0.99};
  private static final long DAY_NS = 86_400_000_000_000L;

  private final int exactLimit;

  /** @param exactLimit stats over at most this many timed runs (or steps) take exact percentiles from raw rows */
  public RollupReader(int exactLimit) {
    this.exactLimit = exactLimit;
  }

  /**
   * @param rawFromNs runs that started before this may have been deleted by retention; null when
   *     every raw run is still kept
   */
  public Stats stats(RollupSource src, String projectId, RunQuery q, long nowNs, Long rawFromNs) {
    RollupScan scan = new RollupScan(src.rows(projectId, q), q, nowNs);
    long from = q.fromNanos() == null ? Long.MIN_VALUE : q.fromNanos();
    long to = q.toNanos() == null ? Long.MAX_VALUE : q.toNanos();
    Totals all = new Totals();
    Map<String, StepAgg> byType = new HashMap<>();
    Map<String, StepAgg> byModel = new HashMap<>();
    Map<List<String>, Long> failures = new HashMap<>();
    scan.scan(scan.pieces(from, to, Rollup.TIERS.length - 1), true, new Rollup.Sink() {
      @Override
      public void run(long startNs, RunDims dims, RunAgg agg) {
        all.add(dims.status(), agg);
        if (!dims.failureType().isEmpty()) {
          failures.merge(List.of(Rollup.undim(dims.failureType()), Rollup.undim(dims.failureCode())), agg.runs,
              Long::sum);
        }
      }

      @Override
      public void step(long startNs, StepDims dims, StepAgg agg) {
        byType.computeIfAbsent(dims.type(), k -> new StepAgg()).addAll(agg, 1);
        if (!dims.model().isEmpty()) byModel.computeIfAbsent(dims.model(), k -> new StepAgg()).addAll(agg, 1);
      }
    });
    Double[] runQ = exactFromRows(q, rawFromNs, all.agg.timed)
        ? src.exactRunQuantiles(projectId, q, QUANTILES).valuesMs()
        : all.agg.latency.quantiles(QUANTILES);
    long timedSteps = byType.values().stream().mapToLong(a -> a.timed).sum();
    Map<String, Double[]> exactSteps = exactFromRows(q, rawFromNs, timedSteps)
        ? src.exactStepPercentiles(projectId, q) : Map.of();
    List<Stats.StepTypeStats> types = new ArrayList<>();
    for (Map.Entry<String, StepAgg> e : byType.entrySet()) {
      StepAgg a = e.getValue();
      Double[] p = exactSteps.getOrDefault(e.getKey(), a.latency.quantiles(QUANTILES));
      types.add(new Stats.StepTypeStats(e.getKey(), a.steps, a.errors, average(a.durationNs, a.timed), p[0], p[1],
          p[2], a.costUsd));
    }
    types.sort(Comparator.comparingLong(Stats.StepTypeStats::count).reversed()
        .thenComparing(Stats.StepTypeStats::type));
    List<Stats.FailureCount> failureList = new ArrayList<>();
    failures.forEach((k, n) -> failureList.add(new Stats.FailureCount(k.get(0), k.get(1), n)));
    failureList.sort(Comparator.comparingLong(Stats.FailureCount::count).reversed()
        .thenComparing(Stats.FailureCount::type).thenComparing(Stats.FailureCount::code));
    Stats.RunCounts counts = all.counts();
    return new Stats(counts, SqlStats.errorRate(counts),
        new Stats.Latency(average(all.agg.durationNs, all.agg.timed), runQ[0], runQ[1], runQ[2]), types,
        failureList, all.agg.retries, new Stats.Tokens(all.agg.inputTokens, all.agg.outputTokens), all.agg.costUsd,
        models(byModel));
  }

  /**
   * Count, sum and sum of squares of cost per run from the run rollups, over the rows that carry
   * the squares (rows written before they were kept do not, and their runs are left out).
   */
  public dev.sextant.store.RunMoments costPerRun(RollupSource src, String projectId, RunQuery q, long nowNs) {
    double[] sums = new double[3];
    scanRuns(src, projectId, q, nowNs, agg -> {
      if (agg.costSqUnknown) return;
      sums[0] += agg.runs;
      sums[1] += agg.costUsd;
      sums[2] += agg.costSqUsd;
    });
    return new dev.sextant.store.RunMoments((long) sums[0], sums[1], sums[2]);
  }

  /**
   * Run durations at the fractions {@code qs} from the merged run sketches; exact from raw rows,
   * as {@link #stats} does, when at most {@code exactLimit} runs are timed and their raw rows are all kept.
   */
  public dev.sextant.store.RunQuantiles runQuantiles(RollupSource src, String projectId, RunQuery q, long nowNs,
      Long rawFromNs, double... qs) {
    RunAgg all = new RunAgg();
    scanRuns(src, projectId, q, nowNs, agg -> all.addAll(agg, 1));
    if (exactFromRows(q, rawFromNs, all.timed)) return src.exactRunQuantiles(projectId, q, qs);
    return new dev.sextant.store.RunQuantiles(all.timed, all.latency.quantiles(qs));
  }

  /**
   * Whether percentiles over {@code timed} values are taken exactly from raw rows: few enough, and
   * every raw run of the range still kept.
   */
  private boolean exactFromRows(RunQuery q, Long rawFromNs, long timed) {
    boolean rawComplete = rawFromNs == null || (q.fromNanos() != null && q.fromNanos() >= rawFromNs);
    return rawComplete && timed > 0 && timed <= exactLimit;
  }

  /** Hands every run rollup row under the filter to {@code visit} (steps are not read). */
  private void scanRuns(RollupSource src, String projectId, RunQuery q, long nowNs,
      java.util.function.Consumer<RunAgg> visit) {
    RollupScan scan = new RollupScan(src.rows(projectId, q), q, nowNs);
    long from = q.fromNanos() == null ? Long.MIN_VALUE : q.fromNanos();
    long to = q.toNanos() == null ? Long.MAX_VALUE : q.toNanos();
    scan.scan(scan.pieces(from, to, Rollup.TIERS.length - 1), false, new Rollup.Sink() {
      @Override
      public void run(long startNs, RunDims dims, RunAgg agg) {
        visit.accept(agg);
      }

      @Override
      public void step(long startNs, StepDims dims, StepAgg agg) {}
    });
  }

  private static List<Stats.ModelCost> models(Map<String, StepAgg> byModel) {
    List<Stats.ModelCost> out = new ArrayList<>();
    byModel.forEach((model, a) -> {
      if (a.steps > 0) {
        out.add(new Stats.ModelCost(Rollup.undim(model), a.steps, a.inputTokens, a.outputTokens, a.costUsd));
      }
    });
    return SqlStats.sortByCost(out);
  }

  /**
   * The timeseries from rollups, or null when its buckets are finer than a minute (then raw rows
   * answer it: such a range is short).
   */
  public Timeseries timeseries(RollupSource src, String projectId, RunQuery q, int buckets, long nowNs) {
    RollupScan scan = new RollupScan(src.rows(projectId, q), q, nowNs);
    Long first = q.fromNanos() != null && q.toNanos() != null ? null : scan.boundary(true);
    if (first == null && (q.fromNanos() == null || q.toNanos() == null)) return new Timeseries(0, List.of());
    long dataFrom = first == null ? 0 : first;
    long dataTo = first == null ? 0 : scan.boundary(false) + 1;
    boolean empty = first == null;
    long from = q.fromNanos() != null ? q.fromNanos() : dataFrom;
    long to = q.toNanos() != null ? q.toNanos() : dataTo;
    if (SqlStats.tooWide(from, to)) {
      // bounds centuries apart: the axis spans the runs inside them
      if (empty) {
        Long f = scan.boundary(true);
        if (f == null) return new Timeseries(0, List.of());
        dataFrom = f;
        dataTo = scan.boundary(false) + 1;
      }
      from = Math.max(from, dataFrom);
      to = Math.min(to, dataTo);
      if (SqlStats.tooWide(from, to)) return new Timeseries(0, List.of());
    }
    long bucketNanos = SqlStats.niceBucket(Math.max(1, (to - from + buckets - 1) / buckets));
    int level = -1;
    for (int l = Rollup.TIERS.length - 1; l >= 0 && level < 0; l--) {
      if (bucketNanos % (Rollup.TIERS[l] * 1_000_000_000L) == 0) level = l;
    }
    if (level < 0) return null;
    long origin = Math.floorDiv(from, bucketNanos) * bucketNanos;
    Map<Long, Totals> points = new HashMap<>();
    scan.scanPoints(scan.pieces(from, to, level), origin, bucketNanos, new RollupRows.PointSink() {
      @Override
      public void totals(long point, String status, RunAgg sums) {
        points.computeIfAbsent(point, k -> new Totals()).add(status, sums);
      }

      @Override
      public void latency(long point, LatencyBins bins) {
        points.computeIfAbsent(point, k -> new Totals()).agg.latency.addAll(bins, 1);
      }
    }, new Rollup.Sink() {
      @Override
      public void run(long startNs, RunDims dims, RunAgg agg) {
        points.computeIfAbsent(Math.floorDiv(startNs - origin, bucketNanos), k -> new Totals()).add(dims.status(), agg);
      }

      @Override
      public void step(long startNs, StepDims dims, StepAgg agg) {}
    });
    List<Timeseries.Point> out = new ArrayList<>();
    for (long b = 0; origin + b * bucketNanos < to; b++) {
      Totals t = points.getOrDefault(b, new Totals());
      Stats.RunCounts counts = t.counts();
      Double[] p = t.agg.latency.quantiles(QUANTILES);
      out.add(new Timeseries.Point(Times.toInstant(origin + b * bucketNanos), counts, SqlStats.errorRate(counts),
          new Stats.Latency(average(t.agg.durationNs, t.agg.timed), p[0], p[1], p[2]), t.agg.retries,
          new Stats.Tokens(t.agg.inputTokens, t.agg.outputTokens), t.agg.costUsd));
    }
    return new Timeseries(bucketNanos / 1_000_000, out);
  }

  /** Agents with their versions and environments, run counts from the day tier. */
  List<AgentSummary> agents(Connection c, String projectId) throws SQLException {
    List<AgentRows.Row> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT agent_id, agent_version, environment, sum(runs) AS n, max(bucket_ns) AS last FROM rollup_runs"
            + " WHERE project_id = ? AND tier = ? AND agent_id <> ''"
            + " GROUP BY agent_id, agent_version, environment"
            // NULLIF: "none" sorts where each backend sorts NULL, as the raw answer does
            + " ORDER BY agent_id, NULLIF(agent_version, ''), NULLIF(environment, '')")) {
      Sql.setString(ps, 1, projectId);
      ps.setLong(2, Rollup.TIERS[Rollup.TIERS.length - 1]);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long last = lastStart(c, projectId, rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(5));
          rows.add(new AgentRows.Row(Rollup.undim(rs.getString(1)), Rollup.undim(rs.getString(2)),
              Rollup.undim(rs.getString(3)), rs.getLong(4), last));
        }
      }
    }
    return AgentRows.summarize(rows);
  }

  /**
   * The latest start of one agent, version and environment within its last day bucket; the start
   * of that day when its raw runs are no longer kept.
   */
  private static long lastStart(Connection c, String projectId, String agent, String version, String env,
      long lastDay) throws SQLException {
    String sql = "SELECT max(start_ns) FROM runs WHERE project_id = ? AND agent_id = ?"
        + (version.isEmpty() ? " AND agent_version IS NULL" : " AND agent_version = ?")
        + (env.isEmpty() ? " AND environment IS NULL" : " AND environment = ?")
        + " AND start_ns >= ? AND start_ns < ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      Sql.setString(ps, i++, projectId);
      Sql.setString(ps, i++, Rollup.undim(agent));
      if (!version.isEmpty()) Sql.setString(ps, i++, Rollup.undim(version));
      if (!env.isEmpty()) Sql.setString(ps, i++, Rollup.undim(env));
      ps.setLong(i++, lastDay);
      ps.setLong(i, lastDay + DAY_NS);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long v = rs.getLong(1);
        return rs.wasNull() ? lastDay : v;
      }
    }
  }

  private static Double average(long sumNs, long n) {
    return n == 0 ? null : sumNs / (double) n / 1_000_000.0;
  }

  /** Run totals with counts by status. */
  private static final class Totals {
    final RunAgg agg = new RunAgg();
    long success;
    long failure;
    long partial;
    long running;

    void add(String status, RunAgg a) {
      agg.addAll(a, 1);
      switch (status) {
        case "success" -> success += a.runs;
        case "failure" -> failure += a.runs;
        case "partial" -> partial += a.runs;
        case "running" -> running += a.runs;
        default -> { }
      }
    }

    Stats.RunCounts counts() {
      return new Stats.RunCounts(agg.runs, success, failure, partial, running);
    }
  }
}
