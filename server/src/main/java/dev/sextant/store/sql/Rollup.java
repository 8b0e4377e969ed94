package dev.sextant.store.sql;

import static dev.sextant.store.sql.Sql.getDouble;
import static dev.sextant.store.sql.Sql.getLong;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run adds to the rollups: one run row under the run's dimensions, and one step row per
 * step under the run's dimensions plus the step's type and model. Both the writer (which adds a
 * run's new contribution and subtracts its old one) and the reader (which adds raw runs at the
 * edges of a range that buckets do not cover) go through {@link #contribute}, so the two can never
 * count differently.
 */
public final class Rollup {
  private Rollup() {}

  /** Bucket widths in seconds: the tiers, finest first. */
  public static final long[] TIERS = {60, 3600, 86400};

  static final long MINUTE_NS = 60_000_000_000L;

  /** How long the one-minute tier is kept and read; older ranges use hours and raw rows. */
  static final long MINUTE_TIER_KEEP_NS = 2 * 86400 * 1_000_000_000L;

  /** A dimension value as stored: {@code ''} for none, {@code '=' + value} otherwise. */
  public static String dim(String v) {
    return v == null ? "" : "=" + v;
  }

  public static String undim(String stored) {
    return stored == null || stored.isEmpty() ? null : stored.substring(1);
  }

  /** The run dimensions every rollup row carries, as stored ({@link #dim}); status is never null. */
  public record RunDims(String agent, String version, String environment, String status, String failureType,
      String failureCode) {
    static RunDims of(ResultSet rs) throws SQLException {
      return new RunDims(rs.getString("agent_id"), rs.getString("agent_version"), rs.getString("environment"),
          rs.getString("status"), rs.getString("failure_type"), rs.getString("failure_code"));
    }
  }

  public record StepDims(RunDims run, String type, String model) {}

  /** The most a token or duration total holds, as in {@link Sql#MAX_TOTAL}: sums stop there. */
  static final long MAX_TOTAL = 9_000_000_000_000_000_000L;

  /**
   * {@code a + b} kept within ±{@link #MAX_TOTAL}, so that totals of stored extreme values (a run
   * lasting two centuries, token counts stored before the per-step limits) never wrap around 64
   * bits into negative statistics, and never fail a write.
   */
  static long total(long a, long b) {
    long sum = a + b;
    if (((a ^ sum) & (b ^ sum)) < 0) return a < 0 ? -MAX_TOTAL : MAX_TOTAL; // wrapped around
    return Math.max(-MAX_TOTAL, Math.min(MAX_TOTAL, sum));
  }

  /** The totals of one rollup row, or the change to them, as the row stores them. */
  public interface Agg<A> {
    void addAll(A other, long sign);

    /** Whether the row still counts anything: a row that counts nothing is deleted. */
    boolean counts();

    /** Reads the row's value columns (by name) into these totals. */
    void read(ResultSet rs) throws SQLException;

    /** Binds the value columns from {@code from}, in the order the row's upsert lists them. */
    void bind(PreparedStatement ps, int from) throws SQLException;
  }

  /** Run totals of one rollup row, or the change to them. */
  public static final class RunAgg implements Agg<RunAgg> {
    public long runs;
    public long timed;
    public long durationNs;
    public long retries;
    public long inputTokens;
    public long outputTokens;
    public double costUsd;
    /** The sum of the runs' squared costs, for the spread of cost per run. */
    public double costSqUsd;
    /** A row written before rollups kept {@link #costSqUsd}: its spread is not known. */
    public boolean costSqUnknown;
    public final LatencyBins latency = new LatencyBins();

    @Override
    public void addAll(RunAgg o, long sign) {
      runs += sign * o.runs;
      costSqUsd += sign * o.costSqUsd;
      costSqUnknown |= o.costSqUnknown;
      timed += sign * o.timed;
      durationNs = total(durationNs, sign * o.durationNs);
      retries += sign * o.retries;
      inputTokens = total(inputTokens, sign * o.inputTokens);
      outputTokens = total(outputTokens, sign * o.outputTokens);
      costUsd += sign * o.costUsd;
      latency.addAll(o.latency, sign);
    }

    boolean isZero() {
      return runs == 0 && timed == 0 && durationNs == 0 && retries == 0 && inputTokens == 0 && outputTokens == 0
          && costUsd == 0 && costSqUsd == 0 && latency.isEmpty();
    }

    @Override
    public boolean counts() {
      return runs > 0;
    }

    @Override
    public void read(ResultSet rs) throws SQLException {
      runs = rs.getLong("runs");
      timed = rs.getLong("timed");
      durationNs = rs.getLong("duration_ns");
      retries = rs.getLong("retries");
      inputTokens = rs.getLong("input_tokens");
      outputTokens = rs.getLong("output_tokens");
      costUsd = rs.getDouble("cost_usd");
      latency.addEncoded(rs.getBytes("latency"), 1);
      costSqUsd = rs.getDouble("cost_sq_usd");
      costSqUnknown = rs.wasNull();
    }

    @Override
    public void bind(PreparedStatement ps, int from) throws SQLException {
      int i = from;
      ps.setLong(i++, runs);
      ps.setLong(i++, timed);
      ps.setLong(i++, durationNs);
      ps.setLong(i++, retries);
      ps.setLong(i++, inputTokens);
      ps.setLong(i++, outputTokens);
      ps.setDouble(i++, costUsd);
      setBytes(ps, i++, latency.encode());
      if (costSqUnknown) ps.setNull(i, Types.DOUBLE);
      else ps.setDouble(i, costSqUsd);
    }
  }

  /** Step totals of one rollup row, or the change to them. */
  public static final class StepAgg implements Agg<StepAgg> {
    public long steps;
    public long errors;
    public long retries;
    public long timed;
    public long durationNs;
    public long inputTokens;
    public long outputTokens;
    public double costUsd;
    public final LatencyBins latency = new LatencyBins();

    @Override
    public void addAll(StepAgg o, long sign) {
      steps += sign * o.steps;
      errors += sign * o.errors;
      retries += sign * o.retries;
      timed += sign * o.timed;
      durationNs = total(durationNs, sign * o.durationNs);
      inputTokens = total(inputTokens, sign * o.inputTokens);
      outputTokens = total(outputTokens, sign * o.outputTokens);
      costUsd += sign * o.costUsd;
      latency.addAll(o.latency, sign);
    }

    boolean isZero() {
      return steps == 0 && errors == 0 && retries == 0 && timed == 0 && durationNs == 0 && inputTokens == 0
          && outputTokens == 0 && costUsd == 0 && latency.isEmpty();
    }

    @Override
    public boolean counts() {
      return steps > 0;
    }

    @Override
    public void read(ResultSet rs) throws SQLException {
      steps = rs.getLong("steps");
      errors = rs.getLong("errors");
      retries = rs.getLong("retries");
      timed = rs.getLong("timed");
      durationNs = rs.getLong("duration_ns");
      inputTokens = rs.getLong("input_tokens");
      outputTokens = rs.getLong("output_tokens");
      costUsd = rs.getDouble("cost_usd");
      latency.addEncoded(rs.getBytes("latency"), 1);
    }

    @Override
    public void bind(PreparedStatement ps, int from) throws SQLException {
      int i = from;
      ps.setLong(i++, steps);
      ps.setLong(i++, errors);
      ps.setLong(i++, retries);
      ps.setLong(i++, timed);
      ps.setLong(i++, durationNs);
      ps.setLong(i++, inputTokens);
      ps.setLong(i++, outputTokens);
      ps.setDouble(i++, costUsd);
      setBytes(ps, i, latency.encode());
    }
  }

  private static void setBytes(PreparedStatement ps, int i, byte[] v) throws SQLException {
    if (v == null) ps.setNull(i, Types.BINARY);
    else ps.setBytes(i, v);
  }

  /** Where contributions go: a bucket start (or, for raw rows, the run's start) with its totals. */
  public interface Sink {
    void run(long startNs, RunDims dims, RunAgg agg);

    void step(long startNs, StepDims dims, StepAgg agg);
  }

  /** The columns of a run that its contribution depends on, read from {@code runs r}. */
  static final String RUN_COLUMNS =
      "r.run_id, r.start_ns, r.end_ns, r.agent_id, r.agent_version, r.environment, r.status, r.failure_type,"
          + " r.failure_code, r.duration_ms, r.retry_count, r.input_tokens, r.output_tokens, r.cost_usd";

  /** The columns of a step that its contribution depends on, read from {@code steps s} joined to {@code runs r}. */
  static final String STEP_COLUMNS =
      "r.run_id, s.type, s.model, s.status, s.attempt, s.retry_of, s.start_ns, s.end_ns, "
          + Sql.stepDurationMs("s.") + ","
          + " s.input_tokens, s.output_tokens, s.cost_usd";

  /** A run as its contribution sees it. */
  public record RunRow(String runId, long startNs, RunDims dims, Double durationMs, Long durationNs, long retries,
      long inputTokens, long outputTokens, double costUsd) {
    /** Reads {@link #RUN_COLUMNS}, by position (reading by name costs a lookup per value). */
    static RunRow read(ResultSet rs) throws SQLException {
      long start = rs.getLong(2);
      Long end = getLong(rs, 3);
      RunDims dims = new RunDims(dim(rs.getString(4)), dim(rs.getString(5)), dim(rs.getString(6)), rs.getString(7),
          dim(rs.getString(8)), dim(rs.getString(9)));
      Double ms = getDouble(rs, 10);
      return new RunRow(rs.getString(1), start, dims, ms, ms == null || end == null ? null : end - start,
          rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getDouble(14));
    }
  }

  /** A step as its contribution sees it. */
  public record StepRow(String runId, String type, String model, boolean failed, boolean retry, Double durationMs,
      Long durationNs, long inputTokens, long outputTokens, double costUsd) {
    /** Reads {@link #STEP_COLUMNS}, by position. */
    static StepRow read(ResultSet rs) throws SQLException {
      String type = rs.getString(2);
      String model = rs.getString(3);
      String status = rs.getString(4);
      int attempt = rs.getInt(5);
      if (rs.wasNull()) attempt = 1;
      boolean retry = rs.getString(6) != null || attempt > 1;
      Long start = getLong(rs, 7);
      Long end = getLong(rs, 8);
      Double ms = getDouble(rs, 9);
      return new StepRow(rs.getString(1), type == null ? "custom" : type, dim(model),
          "error".equals(status) || "timeout".equals(status), retry, ms,
          ms == null || start == null || end == null ? null : end - start, rs.getLong(10), rs.getLong(11),
          rs.getDouble(12));
    }
  }

  /** Sends the contribution of {@code run} with {@code steps} to {@code sink}. */
  public static void contribute(RunRow run, List<StepRow> steps, Sink sink) {
    RunAgg r = new RunAgg();
    r.runs = 1;
    if (run.durationMs() != null) {
      r.timed = 1;
      r.durationNs = run.durationNs();
      r.latency.add(run.durationMs(), 1);
    }
    r.retries = run.retries();
    r.inputTokens = run.inputTokens();
    r.outputTokens = run.outputTokens();
    r.costUsd = run.costUsd();
    r.costSqUsd = run.costUsd() * run.costUsd();
    sink.run(run.startNs(), run.dims(), r);
    // every step of a run falls in the run's buckets, so steps of one type and model are summed
    // first: one row change per type and model and tier instead of one per step
    // (keyed without the run's dimensions, the same for all of them and dearer to hash)
    Map<TypeModel, StepAgg> byDims = new HashMap<>();
    for (StepRow s : steps) {
      StepAgg a = byDims.computeIfAbsent(new TypeModel(s.type(), s.model()), k -> new StepAgg());
      a.steps++;
      if (s.failed()) a.errors++;
      if (s.retry()) a.retries++;
      if (s.durationMs() != null) {
        a.timed++;
        a.durationNs = total(a.durationNs, s.durationNs());
        a.latency.add(s.durationMs(), 1);
      }
      a.inputTokens = total(a.inputTokens, s.inputTokens());
      a.outputTokens = total(a.outputTokens, s.outputTokens());
      a.costUsd += s.costUsd();
    }
    for (Map.Entry<TypeModel, StepAgg> e : byDims.entrySet()) {
      sink.step(run.startNs(), new StepDims(run.dims(), e.getKey().type(), e.getKey().model()), e.getValue());
    }
  }

  private record TypeModel(String type, String model) {}

  /** The first minute bucket still kept at {@code nowNs}; older minute buckets are neither written nor read. */
  static long minuteFloor(long nowNs) {
    return bucket(nowNs - MINUTE_TIER_KEEP_NS, TIERS[0]) + MINUTE_NS;
  }

  /**
   * The first bucket start of tier {@code tier} that rollup retention keeps: minute buckets from
   * {@code minutesBefore}, hour and day buckets that end after {@code before}; {@code Long.MIN_VALUE}
   * when the tier keeps every bucket.
   */
  public static long keptFrom(long tier, long before, long minutesBefore) {
    if (tier == TIERS[0]) return minutesBefore;
    return before == Long.MIN_VALUE ? Long.MIN_VALUE : before - tier * 1_000_000_000L + 1;
  }

  /** The start of the bucket of width {@code tierSeconds} that holds {@code ns}. */
  static long bucket(long ns, long tierSeconds) {
    long w = tierSeconds * 1_000_000_000L;
    return Math.floorDiv(ns, w) * w;
  }
}
