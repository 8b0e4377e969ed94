package dev.sextant.store.sql;

import static dev.sextant.store.sql.Sql.getDouble;

import dev.sextant.model.Times;
import dev.sextant.store.RunQuery;
import dev.sextant.store.Stats;
import dev.sextant.store.Timeseries;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Aggregates for {@code /v1/stats}, {@code /v1/compare} and {@code /v1/timeseries}. */
public final class SqlStats {
  /** A step's duration in milliseconds (steps store none). */
  private static final String STEP_MS = Sql.stepDurationMs("s.");

  private final Dialect d;

  SqlStats(Dialect dialect) {
    this.d = dialect;
  }

  /** Aggregates over runs; shared by stats and each timeseries bucket. */
  private String runAggregates() {
    return "count(*) AS total,"
        + " COALESCE(sum(CASE WHEN r.status = 'success' THEN 1 ELSE 0 END), 0) AS success,"
        + " COALESCE(sum(CASE WHEN r.status = 'failure' THEN 1 ELSE 0 END), 0) AS failure,"
        + " COALESCE(sum(CASE WHEN r.status = 'partial' THEN 1 ELSE 0 END), 0) AS partial,"
        + " COALESCE(sum(CASE WHEN r.status = 'running' THEN 1 ELSE 0 END), 0) AS running,"
        + " avg(" + Sql.latency("r.duration_ms") + ") AS avg_ms,"
        + " " + d.percentile(Sql.latency("r.duration_ms"), 0.50) + " AS p50,"
        + " " + d.percentile(Sql.latency("r.duration_ms"), 0.95) + " AS p95,"
        + " " + d.percentile(Sql.latency("r.duration_ms"), 0.99) + " AS p99,"
        + " COALESCE(sum(r.retry_count), 0) AS retries,"
        + " COALESCE(" + Sql.cappedSum("r.input_tokens") + ", 0) AS input_tokens,"
        + " COALESCE(" + Sql.cappedSum("r.output_tokens") + ", 0) AS output_tokens,"
        + " COALESCE(sum(r.cost_usd), 0) AS cost_usd";
  }

  Stats stats(Connection c, String projectId, RunQuery q) throws SQLException {
    RunFilter f = new RunFilter(projectId, q, d);
    Stats.RunCounts counts;
    Stats.Latency latency;
    long retries;
    Stats.Tokens tokens;
    double cost;
    try (PreparedStatement ps = c.prepareStatement("SELECT " + runAggregates() + " FROM runs r WHERE " + f.where)) {
      f.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        counts = counts(rs);
        latency = latency(rs);
        retries = rs.getLong("retries");
        tokens = new Stats.Tokens(rs.getLong("input_tokens"), rs.getLong("output_tokens"));
        cost = rs.getDouble("cost_usd");
      }
    }
    List<Stats.StepTypeStats> byType = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT COALESCE(s.type, 'custom') AS type, count(*) AS n,"
            + " COALESCE(sum(CASE WHEN s.status IN ('error', 'timeout') THEN 1 ELSE 0 END), 0) AS errors,"
            + " COALESCE(sum(s.cost_usd), 0) AS cost_usd,"
            + " avg(" + STEP_MS + ") AS avg_ms,"
            + " " + d.percentile(STEP_MS, 0.50) + " AS p50,"
            + " " + d.percentile(STEP_MS, 0.95) + " AS p95,"
            + " " + d.percentile(STEP_MS, 0.99) + " AS p99"
            + " FROM steps s JOIN runs r ON r.run_key = s.run_key"
            + " WHERE " + f.where + " GROUP BY COALESCE(s.type, 'custom') ORDER BY n DESC, type")) {
      f.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byType.add(new Stats.StepTypeStats(rs.getString("type"), rs.getLong("n"), rs.getLong("errors"),
              getDouble(rs, "avg_ms"), getDouble(rs, "p50"), getDouble(rs, "p95"), getDouble(rs, "p99"),
              rs.getDouble("cost_usd")));
        }
      }
    }
    List<Stats.FailureCount> failures = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT r.failure_type, r.failure_code, count(*) AS n FROM runs r WHERE " + f.where
            + " AND r.failure_type IS NOT NULL GROUP BY r.failure_type, r.failure_code"
            + " ORDER BY n DESC, r.failure_type, r.failure_code")) {
      f.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          failures.add(new Stats.FailureCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
        }
      }
    }
    List<Stats.ModelCost> byModel = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT s.model, count(*) AS n, COALESCE(" + Sql.cappedSum("s.input_tokens") + ", 0) AS input_tokens,"
            + " COALESCE(" + Sql.cappedSum("s.output_tokens") + ", 0) AS output_tokens,"
            + " COALESCE(sum(s.cost_usd), 0) AS cost_usd FROM steps s JOIN runs r ON r.run_key = s.run_key"
            + " WHERE " + f.where + " AND s.model IS NOT NULL GROUP BY s.model")) {
      f.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byModel.add(new Stats.ModelCost(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5)));
        }
      }
    }
    return new Stats(counts, errorRate(counts), latency, byType, failures, retries, tokens, cost, sortByCost(byModel));
  }

  /** Count, sum and sum of squares of the cost of the matching runs (no cost counts 0). */
  dev.sextant.store.RunMoments costPerRun(Connection c, String projectId, RunQuery q) throws SQLException {
    RunFilter f = new RunFilter(projectId, q, d);
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*), COALESCE(sum(COALESCE(r.cost_usd, 0)), 0),"
        + " COALESCE(sum(COALESCE(r.cost_usd, 0) * COALESCE(r.cost_usd, 0)), 0) FROM runs r WHERE " + f.where)) {
      f.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new dev.sextant.store.RunMoments(rs.getLong(1), rs.getDouble(2), rs.getDouble(3));
      }
    }
  }

  /** Most expensive first, then most calls, then by name: one order for rollups and raw rows. */
  public static List<Stats.ModelCost> sortByCost(List<Stats.ModelCost> models) {
    models.sort(java.util.Comparator.comparingDouble(Stats.ModelCost::costUsd).reversed()
        .thenComparing(java.util.Comparator.comparingLong(Stats.ModelCost::steps).reversed())
        .thenComparing(Stats.ModelCost::model));
    return models;
  }

  /** Exact p50, p95, p99 of the matching runs' durations. */
  Double[] runPercentiles(Connection c, String projectId, RunQuery q) throws SQLException {
    return runQuantiles(c, projectId, q, 0.50, 0.95, 0.99).valuesMs();
  }

  /** The number of matching runs with a duration, and their exact durations at the fractions {@code qs}. */
  dev.sextant.store.RunQuantiles runQuantiles(Connection c, String projectId, RunQuery q, double... qs)
      throws SQLException {
    RunFilter f = new RunFilter(projectId, q, d);
    StringBuilder sql = new StringBuilder("SELECT count(r.duration_ms)");
    for (double p : qs) sql.append(", ").append(d.percentile("r.duration_ms", p));
    try (PreparedStatement ps = c.prepareStatement(sql + " FROM runs r WHERE " + f.where)) {
      f.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Double[] values = new Double[qs.length];
        for (int i = 0; i < qs.length; i++) values[i] = getDouble(rs, i + 2);
        return new dev.sextant.store.RunQuantiles(rs.getLong(1), values);
      }
    }
  }

  /** Exact p50, p95, p99 of the durations of the matching runs' steps, per step type. */
  Map<String, Double[]> stepPercentiles(Connection c, String projectId, RunQuery q) throws SQLException {
    RunFilter f = new RunFilter(projectId, q, d);
    Map<String, Double[]> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(s.type, 'custom') AS type, "
        + d.percentile(STEP_MS, 0.50) + ", " + d.percentile(STEP_MS, 0.95) + ", "
        + d.percentile(STEP_MS, 0.99)
        + " FROM steps s JOIN runs r ON r.run_key = s.run_key"
        + " WHERE " + f.where + " GROUP BY COALESCE(s.type, 'custom')")) {
      f.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.put(rs.getString(1), new Double[] {getDouble(rs, 2), getDouble(rs, 3), getDouble(rs, 4)});
      }
    }
    return out;
  }

  /** Whether {@code to - from} does not fit in a long, with room left for rounding to buckets. */
  public static boolean tooWide(long from, long to) {
    try {
      Math.addExact(Math.subtractExact(to, from), 1L << 40);
      return false;
    } catch (ArithmeticException e) {
      return true;
    }
  }

  Timeseries timeseries(Connection c, String projectId, RunQuery q, int buckets) throws SQLException {
    RunFilter f = new RunFilter(projectId, q, d);
    long from;
    long to;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT min(r.start_ns), max(r.start_ns) FROM runs r WHERE " + f.where)) {
      f.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        boolean empty = rs.getObject(1) == null;
        long dataFrom = rs.getLong(1);
        long dataTo = rs.getLong(2) + 1;
        from = q.fromNanos() != null ? q.fromNanos() : dataFrom;
        to = q.toNanos() != null ? q.toNanos() : dataTo;
        if (empty && (q.fromNanos() == null || q.toNanos() == null)) {
          return new Timeseries(0, List.of());
        }
        if (tooWide(from, to)) {
          // bounds centuries apart (e.g. from=0001-01-01): the axis spans the runs inside them
          if (empty) return new Timeseries(0, List.of());
          from = Math.max(from, dataFrom);
          to = Math.min(to, dataTo);
          if (tooWide(from, to)) return new Timeseries(0, List.of());
        }
      }
    }
    long bucketNanos = niceBucket(Math.max(1, (to - from + buckets - 1) / buckets));
    long origin = Math.floorDiv(from, bucketNanos) * bucketNanos;
    Map<Long, Timeseries.Point> points = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        // grouped by the output name: PostgreSQL does not see two parameterised copies of the
        // expression as the same grouping key
        "SELECT (r.start_ns - ?) / ? AS bucket, " + runAggregates() + " FROM runs r WHERE " + f.where
            + " GROUP BY bucket")) {
      ps.setLong(1, origin);
      ps.setLong(2, bucketNanos);
      f.bind(ps, 3);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long b = rs.getLong("bucket");
          Stats.RunCounts counts = counts(rs);
          points.put(b, new Timeseries.Point(Times.toInstant(origin + b * bucketNanos), counts, errorRate(counts),
              latency(rs), rs.getLong("retries"),
              new Stats.Tokens(rs.getLong("input_tokens"), rs.getLong("output_tokens")), rs.getDouble("cost_usd")));
        }
      }
    }
    List<Timeseries.Point> out = new ArrayList<>();
    Stats.RunCounts none = new Stats.RunCounts(0, 0, 0, 0, 0);
    Stats.Latency noLatency = new Stats.Latency(null, null, null, null);
    for (long b = 0; origin + b * bucketNanos < to; b++) {
      Timeseries.Point p = points.get(b);
      out.add(p != null ? p : new Timeseries.Point(Times.toInstant(origin + b * bucketNanos), none, 0, noLatency,
          0, new Stats.Tokens(0, 0), 0));
    }
    return new Timeseries(bucketNanos / 1_000_000, out);
  }

  /** Rounds a bucket width up to a width people read easily (1 s, 5 min, 1 h, 1 d, …). */
  public static long niceBucket(long nanos) {
    long[] steps = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
        172800, 604800};
    long seconds = (nanos + 999_999_999L) / 1_000_000_000L;
    for (long s : steps) if (s >= seconds) return s * 1_000_000_000L;
    long days = (seconds + 86399) / 86400;
    return days * 86400L * 1_000_000_000L;
  }

  private static Stats.RunCounts counts(ResultSet rs) throws SQLException {
    return new Stats.RunCounts(rs.getLong("total"), rs.getLong("success"), rs.getLong("failure"),
        rs.getLong("partial"), rs.getLong("running"));
  }

  private static Stats.Latency latency(ResultSet rs) throws SQLException {
    return new Stats.Latency(getDouble(rs, "avg_ms"), getDouble(rs, "p50"), getDouble(rs, "p95"), getDouble(rs, "p99"));
  }

  public static double errorRate(Stats.RunCounts c) {
    return c.total() == 0 ? 0.0 : (double) c.failure() / c.total();
  }
}
