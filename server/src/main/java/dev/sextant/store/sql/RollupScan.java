package dev.sextant.store.sql;

import dev.sextant.store.RunQuery;
import dev.sextant.store.sql.Rollup.RunAgg;
import dev.sextant.store.sql.Rollup.RunDims;
import dev.sextant.store.sql.Rollup.RunRow;
import dev.sextant.store.sql.Rollup.StepAgg;
import dev.sextant.store.sql.Rollup.StepDims;
import dev.sextant.store.sql.Rollup.StepRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the totals of a time range {@code [from, to)} for one filter: the whole days inside it from
 * the day tier, the whole hours left at its edges from the hour tier, the whole minutes left from
 * the minute tier, and the sub-minute edges (and minutes no longer kept) from raw runs. Every run is
 * counted once, in the piece that holds its start. {@code Long.MIN_VALUE} and {@code Long.MAX_VALUE}
 * stand for an open end.
 */
final class RollupScan {
  /** One part of a range: a tier (index into {@link Rollup#TIERS}) or raw rows ({@code -1}). */
  record Piece(int level, long from, long to) {}

  private final Dialect dialect;
  private final String projectId;
  private final RunQuery q;
  private final long minuteFloor;
  private final StringBuilder dims = new StringBuilder();
  private final List<String> dimArgs = new ArrayList<>();

  RollupScan(Dialect dialect, String projectId, RunQuery q, long nowNs) {
    this.dialect = dialect;
    this.projectId = projectId;
    this.q = q;
    this.minuteFloor = Rollup.minuteFloor(nowNs);
    eq("agent_id", q.agent() == null ? null : Rollup.dim(q.agent()));
    eq("agent_version", q.version() == null ? null : Rollup.dim(q.version()));
    eq("environment", q.environment() == null ? null : Rollup.dim(q.environment()));
    eq("status", q.status());
    eq("failure_type", q.failureType() == null ? null : Rollup.dim(q.failureType()));
    eq("failure_code", q.failureCode() == null ? null : Rollup.dim(q.failureCode()));
  }

  /** Whether rollups can answer {@code q}: only filters on run dimensions and start time. */
  static boolean answers(RunQuery q) {
    return q.session() == null && q.labels().isEmpty() && q.scores().isEmpty()
        && (q.text() == null || q.text().isEmpty())
        && q.minDurationMs() == null && q.maxDurationMs() == null;
  }

  private void eq(String column, String value) {
    if (value == null) return;
    dims.append(" AND ").append(column).append(" = ?");
    dimArgs.add(value);
  }

  /** Splits {@code [from, to)} into pieces no coarser than tier {@code maxLevel}. */
  List<Piece> pieces(long from, long to, int maxLevel) {
    List<Piece> out = new ArrayList<>();
    split(from, to, maxLevel, out);
    return out;
  }

  private void split(long a, long b, int level, List<Piece> out) {
    if (a >= b) return;
    if (level < 0) {
      out.add(new Piece(-1, a, b));
      return;
    }
    long w = Rollup.TIERS[level] * 1_000_000_000L;
    long lo = a == Long.MIN_VALUE ? a : a > Long.MAX_VALUE - w ? Long.MAX_VALUE : Math.floorDiv(a + w - 1, w) * w;
    long hi = b == Long.MAX_VALUE ? b : Math.floorDiv(b, w) * w;
    if (level == 0 && lo < minuteFloor) lo = Math.max(lo, minuteFloor);
    if (lo >= hi) {
      split(a, b, level - 1, out);
      return;
    }
    out.add(new Piece(level, lo, hi));
    split(a, lo, level - 1, out);
    split(hi, b, level - 1, out);
  }

  /** Sends every run (and, if {@code withSteps}, step) total of the pieces to {@code sink}. */
  void scan(Connection c, List<Piece> pieces, boolean withSteps, Rollup.Sink sink) throws SQLException {
    for (Piece p : pieces) {
      if (p.level() < 0) {
        raw(c, p.from(), p.to(), withSteps, sink);
        continue;
      }
      long tier = Rollup.TIERS[p.level()];
      try (PreparedStatement ps = c.prepareStatement("SELECT bucket_ns, agent_id, agent_version, environment, status,"
          + " failure_type, failure_code, runs, timed, duration_ns, retries, input_tokens, output_tokens, cost_usd,"
          + " latency, cost_sq_usd FROM rollup_runs WHERE project_id = ? AND tier = ? AND bucket_ns >= ? AND bucket_ns < ?"
          + dims)) {
        bind(ps, tier, p);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            RunAgg a = new RunAgg();
            a.read(rs);
            sink.run(rs.getLong(1), RunDims.of(rs), a);
          }
        }
      }
      if (!withSteps) continue;
      try (PreparedStatement ps = c.prepareStatement("SELECT bucket_ns, agent_id, agent_version, environment, status,"
          + " failure_type, failure_code, step_type, model, steps, errors, retries, timed, duration_ns, input_tokens,"
          + " output_tokens, cost_usd, latency FROM rollup_steps"
          + " WHERE project_id = ? AND tier = ? AND bucket_ns >= ? AND bucket_ns < ?" + dims)) {
        bind(ps, tier, p);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            StepAgg a = new StepAgg();
            a.read(rs);
            sink.step(rs.getLong(1), new StepDims(RunDims.of(rs), rs.getString("step_type"), rs.getString("model")),
                a);
          }
        }
      }
    }
  }

  /** Run totals by point of a timeseries ({@link #scanPoints}). */
  interface PointSink {
    /** The sums of one point's rows of one status; {@code sums.latency} is left empty. */
    void totals(long point, String status, RunAgg sums);

    /** One rollup row's encoded latency bins ({@link LatencyBins#addEncoded}) for a point. */
    void latency(long point, byte[] encoded);
  }

  /**
   * The run totals of the pieces by point, where point {@code p} holds starts in {@code [origin + p
   * × width, origin + (p + 1) × width)}: the tier pieces summed by the database, point and status
   * (a 30-day range in 12-hour points reads tens of thousands of hour rows, and a row's columns
   * cost more to fetch one by one than to sum where they are), with each row's latency bins
   * fetched on their own to be merged; raw pieces through {@code raw}. Each piece lies inside
   * one point: {@code width} is a multiple of the pieces' tier.
   */
  void scanPoints(Connection c, List<Piece> pieces, long origin, long width, PointSink points, Rollup.Sink raw)
      throws SQLException {
    String sums = "SELECT (bucket_ns - ?) / ? AS point, status, sum(runs), sum(timed), "
        + Sql.cappedSum("duration_ns") + ", sum(retries), " + Sql.cappedSum("input_tokens") + ", "
        + Sql.cappedSum("output_tokens") + ", sum(cost_usd) FROM rollup_runs"
        + " WHERE project_id = ? AND tier = ? AND bucket_ns >= ? AND bucket_ns < ?" + dims
        // grouped by the output name: PostgreSQL does not see two parameterised copies of the
        // expression as the same grouping key
        + " GROUP BY point, status";
    String bins = "SELECT (bucket_ns - ?) / ?, latency FROM rollup_runs"
        + " WHERE project_id = ? AND tier = ? AND bucket_ns >= ? AND bucket_ns < ?" + dims + " AND latency IS NOT NULL";
    for (Piece p : pieces) {
      if (p.level() < 0) {
        raw(c, p.from(), p.to(), false, raw);
        continue;
      }
      long tier = Rollup.TIERS[p.level()];
      try (PreparedStatement ps = c.prepareStatement(sums)) {
        ps.setLong(1, origin);
        ps.setLong(2, width);
        bind(ps, 3, tier, p);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            RunAgg a = new RunAgg();
            a.runs = rs.getLong(3);
            a.timed = rs.getLong(4);
            a.durationNs = rs.getLong(5);
            a.retries = rs.getLong(6);
            a.inputTokens = rs.getLong(7);
            a.outputTokens = rs.getLong(8);
            a.costUsd = rs.getDouble(9);
            points.totals(rs.getLong(1), rs.getString(2), a);
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(bins)) {
        ps.setLong(1, origin);
        ps.setLong(2, width);
        bind(ps, 3, tier, p);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) points.latency(rs.getLong(1), rs.getBytes(2));
        }
      }
    }
  }

  private void bind(PreparedStatement ps, long tier, Piece p) throws SQLException {
    bind(ps, 1, tier, p);
  }

  private void bind(PreparedStatement ps, int first, long tier, Piece p) throws SQLException {
    int i = first;
    Sql.setString(ps, i++, projectId);
    ps.setLong(i++, tier);
    ps.setLong(i++, p.from());
    ps.setLong(i++, p.to());
    for (String a : dimArgs) Sql.setString(ps, i++, a);
  }

  /** Raw runs starting in {@code [from, to)} that match the filter, counted as the writer counts them. */
  private void raw(Connection c, long from, long to, boolean withSteps, Rollup.Sink sink) throws SQLException {
    // the piece's range in place of the query's, which holds it: with both, SQLite's planner may
    // take the query's range for the index and filter the whole of it by the piece's
    RunFilter f = new RunFilter(projectId, q.withTimes(from, to), dialect);
    Map<String, List<StepRow>> steps = new HashMap<>();
    if (withSteps) {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + Rollup.STEP_COLUMNS + " FROM steps s JOIN runs r"
          + " ON r.run_key = s.run_key WHERE " + f.where)) {
        f.bind(ps, 1);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            StepRow s = StepRow.read(rs);
            steps.computeIfAbsent(s.runId(), k -> new ArrayList<>()).add(s);
          }
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT " + Rollup.RUN_COLUMNS + " FROM runs r WHERE "
        + f.where)) {
      f.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          RunRow run = RunRow.read(rs);
          Rollup.contribute(run, steps.getOrDefault(run.runId(), List.of()), sink);
        }
      }
    }
  }

  /**
   * The earliest ({@code first}) or latest start among the matching runs inside the query's time
   * range, narrowed tier by tier from days to raw rows; where finer data is no longer kept, the start
   * of the finest bucket that holds it. Null when nothing matches. A bucket that the range cuts holds
   * runs on both sides of the cut: when none of its raw runs is inside, the search goes on past it.
   */
  Long boundary(Connection c, boolean first) throws SQLException {
    long lo = q.fromNanos() != null ? q.fromNanos() : Long.MIN_VALUE;
    long hi = q.toNanos() != null ? q.toNanos() : Long.MAX_VALUE;
    while (lo < hi) {
      Piece found = finestBucket(c, first, lo, hi);
      if (found == null) return null;
      long bucket = found.from();
      long end = found.to();
      Long start = rawBoundary(c, first, Math.max(bucket, lo), Math.min(end, hi));
      if (start != null) return start;
      if (bucket >= lo && end <= hi) return first ? bucket : end - 1; // raw rows no longer kept
      if (first) lo = end;
      else hi = bucket;
    }
    return null;
  }

  /** The first or last bucket with matching runs that overlaps {@code [lo, hi)}, in the finest tier kept. */
  private Piece finestBucket(Connection c, boolean first, long lo, long hi) throws SQLException {
    String agg = first ? "min" : "max";
    Piece bucket = null;
    long from = Long.MIN_VALUE;
    long to = Long.MAX_VALUE;
    for (int level = Rollup.TIERS.length - 1; level >= 0; level--) {
      long w = Rollup.TIERS[level] * 1_000_000_000L;
      if (level == 0) from = Math.max(from, minuteFloor);
      // buckets that overlap [lo, hi): starting before hi and ending after lo
      long overlapFrom = lo == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(lo, w) * w;
      try (PreparedStatement ps = c.prepareStatement("SELECT " + agg + "(bucket_ns) FROM rollup_runs"
          + " WHERE project_id = ? AND tier = ? AND bucket_ns >= ? AND bucket_ns < ?" + dims)) {
        bind(ps, Rollup.TIERS[level], new Piece(level, Math.max(from, overlapFrom), Math.min(to, hi)));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long b = rs.getLong(1);
          if (rs.wasNull()) break;
          bucket = new Piece(level, b, b + w);
          from = b;
          to = b + w;
        }
      }
    }
    return bucket;
  }

  private Long rawBoundary(Connection c, boolean first, long from, long to) throws SQLException {
    RunFilter f = new RunFilter(projectId, q.withTimes(from, to), dialect);
    try (PreparedStatement ps = c.prepareStatement("SELECT " + (first ? "min" : "max") + "(r.start_ns) FROM runs r"
        + " WHERE " + f.where)) {
      f.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
    }
  }
}
