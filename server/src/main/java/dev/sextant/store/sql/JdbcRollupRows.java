package dev.sextant.store.sql;

import dev.sextant.store.RunQuery;
import dev.sextant.store.StoreException;
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

/** The row stores' rollup and raw rows for one project and filter, read on one connection. */
final class JdbcRollupRows implements RollupRows {
  private final Connection c;
  private final Dialect dialect;
  private final String projectId;
  private final RunQuery q;
  private final StringBuilder dims = new StringBuilder();
  private final List<String> dimArgs = new ArrayList<>();

  JdbcRollupRows(Connection c, Dialect dialect, String projectId, RunQuery q) {
    this.c = c;
    this.dialect = dialect;
    this.projectId = projectId;
    this.q = q;
    eq("agent_id", q.agent() == null ? null : Rollup.dim(q.agent()));
    eq("agent_version", q.version() == null ? null : Rollup.dim(q.version()));
    eq("environment", q.environment() == null ? null : Rollup.dim(q.environment()));
    eq("status", q.status());
    eq("failure_type", q.failureType() == null ? null : Rollup.dim(q.failureType()));
    eq("failure_code", q.failureCode() == null ? null : Rollup.dim(q.failureCode()));
  }

  private void eq(String column, String value) {
    if (value == null) return;
    dims.append(" AND ").append(column).append(" = ?");
    dimArgs.add(value);
  }

  /** A read that the interface cannot declare as throwing SQLException. */
  @FunctionalInterface
  private interface Read<T> {
    T run() throws SQLException;
  }

  private static <T> T read(Read<T> r) {
    try {
      return r.run();
    } catch (SQLException e) {
      throw new StoreException("could not read rollups: " + e.getMessage(), e);
    }
  }

  @Override
  public void runs(long tier, long from, long to, Rollup.Sink sink) {
    read(() -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT bucket_ns, agent_id, agent_version, environment, status,"
          + " failure_type, failure_code, runs, timed, duration_ns, retries, input_tokens, output_tokens, cost_usd,"
          + " latency, cost_sq_usd FROM rollup_runs WHERE project_id = ? AND tier = ? AND bucket_ns >= ? AND bucket_ns < ?"
          + dims)) {
        bind(ps, 1, tier, from, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            RunAgg a = new RunAgg();
            a.read(rs);
            sink.run(rs.getLong(1), RunDims.of(rs), a);
          }
        }
      }
      return null;
    });
  }

  @Override
  public void steps(long tier, long from, long to, Rollup.Sink sink) {
    read(() -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT bucket_ns, agent_id, agent_version, environment, status,"
          + " failure_type, failure_code, step_type, model, steps, errors, retries, timed, duration_ns, input_tokens,"
          + " output_tokens, cost_usd, latency FROM rollup_steps"
          + " WHERE project_id = ? AND tier = ? AND bucket_ns >= ? AND bucket_ns < ?" + dims)) {
        bind(ps, 1, tier, from, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            StepAgg a = new StepAgg();
            a.read(rs);
            sink.step(rs.getLong(1), new StepDims(RunDims.of(rs), rs.getString("step_type"), rs.getString("model")),
                a);
          }
        }
      }
      return null;
    });
  }

  /**
   * Sums where the rows are: a 30-day range in 12-hour points reads tens of thousands of hour
   * rows, and a row's columns cost more to fetch one by one than to sum in the database; each
   * row's latency bins are fetched on their own to be merged.
   */
  @Override
  public void points(long tier, long from, long to, long origin, long width, PointSink points) {
    String sums = "SELECT (bucket_ns - ?) / ? AS point, status, sum(runs), sum(timed), "
        + Sql.cappedSum("duration_ns") + ", sum(retries), " + Sql.cappedSum("input_tokens") + ", "
        + Sql.cappedSum("output_tokens") + ", sum(cost_usd) FROM rollup_runs"
        + " WHERE project_id = ? AND tier = ? AND bucket_ns >= ? AND bucket_ns < ?" + dims
        // grouped by the output name: PostgreSQL does not see two parameterised copies of the
        // expression as the same grouping key
        + " GROUP BY point, status";
    String bins = "SELECT (bucket_ns - ?) / ?, latency FROM rollup_runs"
        + " WHERE project_id = ? AND tier = ? AND bucket_ns >= ? AND bucket_ns < ?" + dims + " AND latency IS NOT NULL";
    read(() -> {
      try (PreparedStatement ps = c.prepareStatement(sums)) {
        ps.setLong(1, origin);
        ps.setLong(2, width);
        bind(ps, 3, tier, from, to);
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
        bind(ps, 3, tier, from, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) points.latency(rs.getLong(1), LatencyBins.decode(rs.getBytes(2)));
        }
      }
      return null;
    });
  }

  private void bind(PreparedStatement ps, int first, long tier, long from, long to) throws SQLException {
    int i = first;
    Sql.setString(ps, i++, projectId);
    ps.setLong(i++, tier);
    ps.setLong(i++, from);
    ps.setLong(i++, to);
    for (String a : dimArgs) Sql.setString(ps, i++, a);
  }

  @Override
  public void raw(long from, long to, boolean withSteps, Rollup.Sink sink) {
    // the piece's range in place of the query's, which holds it: with both, SQLite's planner may
    // take the query's range for the index and filter the whole of it by the piece's
    RunFilter f = new RunFilter(projectId, q.withTimes(from, to), dialect);
    read(() -> {
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
      return null;
    });
  }

  @Override
  public Long edgeBucket(boolean first, long tier, long from, long to) {
    return read(() -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + (first ? "min" : "max") + "(bucket_ns) FROM rollup_runs"
          + " WHERE project_id = ? AND tier = ? AND bucket_ns >= ? AND bucket_ns < ?" + dims)) {
        bind(ps, 1, tier, from, to);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long b = rs.getLong(1);
          return rs.wasNull() ? null : b;
        }
      }
    });
  }

  @Override
  public Long edgeStart(boolean first, long from, long to) {
    RunFilter f = new RunFilter(projectId, q.withTimes(from, to), dialect);
    return read(() -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + (first ? "min" : "max") + "(r.start_ns) FROM runs r"
          + " WHERE " + f.where)) {
        f.bind(ps, 1);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long v = rs.getLong(1);
          return rs.wasNull() ? null : v;
        }
      }
    });
  }
}
