package dev.sextant.store.sql;

import static dev.sextant.store.sql.Sql.getDouble;
import static dev.sextant.store.sql.Sql.getLong;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * What one run adds to the rollups: one run row under the run's dimensions, and one step row per
 * step under the run's dimensions plus the step's type and model. Both the writer (which adds a
 * run's new contribution and subtracts its old one) and the reader (which adds raw runs at the
 * edges of a range that buckets do not cover) go through {@link #contribute}, so the two can never
 * count differently.
 */
final class Rollup {
  private Rollup() {}

  /** Bucket widths in seconds: the tiers, finest first. */
  static final long[] TIERS = {60, 3600, 86400};

  static final long MINUTE_NS = 60_000_000_000L;

  /** How long the one-minute tier is kept and read; older ranges use hours and raw rows. */
  static final long MINUTE_TIER_KEEP_NS = 2 * 86400 * 1_000_000_000L;

  /** A dimension value as stored: {@code ''} for none, {@code '=' + value} otherwise. */
  static String dim(String v) {
    return v == null ? "" : "=" + v;
  }

  static String undim(String stored) {
    return stored == null || stored.isEmpty() ? null : stored.substring(1);
  }

  /** The run dimensions every rollup row carries, as stored ({@link #dim}); status is never null. */
  record RunDims(String agent, String version, String environment, String status, String failureType,
      String failureCode) {
    static RunDims of(ResultSet rs) throws SQLException {
      return new RunDims(rs.getString("agent_id"), rs.getString("agent_version"), rs.getString("environment"),
          rs.getString("status"), rs.getString("failure_type"), rs.getString("failure_code"));
    }
  }

  record StepDims(RunDims run, String type, String model) {}

  /** Run totals of one rollup row, or the change to them. */
  static final class RunAgg {
    long runs;
    long timed;
    long durationNs;
    long retries;
    long inputTokens;
    long outputTokens;
    double costUsd;
    final LatencyBins latency = new LatencyBins();

    void addAll(RunAgg o, long sign) {
      runs += sign * o.runs;
      timed += sign * o.timed;
      durationNs += sign * o.durationNs;
      retries += sign * o.retries;
      inputTokens += sign * o.inputTokens;
      outputTokens += sign * o.outputTokens;
      costUsd += sign * o.costUsd;
      latency.addAll(o.latency, sign);
    }

    boolean isZero() {
      return runs == 0 && timed == 0 && durationNs == 0 && retries == 0 && inputTokens == 0 && outputTokens == 0
          && costUsd == 0 && latency.isEmpty();
    }
  }

  /** Step totals of one rollup row, or the change to them. */
  static final class StepAgg {
    long steps;
    long errors;
    long retries;
    long timed;
    long durationNs;
    long inputTokens;
    long outputTokens;
    double costUsd;
    final LatencyBins latency = new LatencyBins();

    void addAll(StepAgg o, long sign) {
      steps += sign * o.steps;
      errors += sign * o.errors;
      retries += sign * o.retries;
      timed += sign * o.timed;
      durationNs += sign * o.durationNs;
      inputTokens += sign * o.inputTokens;
      outputTokens += sign * o.outputTokens;
      costUsd += sign * o.costUsd;
      latency.addAll(o.latency, sign);
    }

    boolean isZero() {
      return steps == 0 && errors == 0 && retries == 0 && timed == 0 && durationNs == 0 && inputTokens == 0
          && outputTokens == 0 && costUsd == 0 && latency.isEmpty();
    }
  }

  /** Where contributions go: a bucket start (or, for raw rows, the run's start) with its totals. */
  interface Sink {
    void run(long startNs, RunDims dims, RunAgg agg);

    void step(long startNs, StepDims dims, StepAgg agg);
  }

  /** The columns of a run that its contribution depends on, read from {@code runs r}. */
  static final String RUN_COLUMNS =
      "r.run_id, r.start_ns, r.end_ns, r.agent_id, r.agent_version, r.environment, r.status, r.failure_type,"
          + " r.failure_code, r.duration_ms, r.retry_count, r.input_tokens, r.output_tokens, r.cost_usd";

  /** The columns of a step that its contribution depends on, read from {@code steps s}. */
  static final String STEP_COLUMNS =
      "s.run_id, s.type, s.model, s.status, s.attempt, s.retry_of, s.start_ns, s.end_ns, s.duration_ms,"
          + " s.input_tokens, s.output_tokens, s.cost_usd";

  /** A run as its contribution sees it. */
  record RunRow(String runId, long startNs, RunDims dims, Double durationMs, Long durationNs, long retries,
      long inputTokens, long outputTokens, double costUsd) {
    static RunRow read(ResultSet rs) throws SQLException {
      Double ms = getDouble(rs, "duration_ms");
      Long end = getLong(rs, "end_ns");
      long start = rs.getLong("start_ns");
      RunDims dims = new RunDims(dim(rs.getString("agent_id")), dim(rs.getString("agent_version")),
          dim(rs.getString("environment")), rs.getString("status"), dim(rs.getString("failure_type")),
          dim(rs.getString("failure_code")));
      return new RunRow(rs.getString("run_id"), start, dims, ms, ms == null || end == null ? null : end - start,
          rs.getLong("retry_count"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
          rs.getDouble("cost_usd"));
    }
  }

  /** A step as its contribution sees it. */
  record StepRow(String runId, String type, String model, boolean failed, boolean retry, Double durationMs,
      Long durationNs, long inputTokens, long outputTokens, double costUsd) {
    static StepRow read(ResultSet rs) throws SQLException {
      String status = rs.getString("status");
      int attempt = rs.getInt("attempt");
      if (rs.wasNull()) attempt = 1;
      Double ms = getDouble(rs, "duration_ms");
      Long start = getLong(rs, "start_ns");
      Long end = getLong(rs, "end_ns");
      String type = rs.getString("type");
      return new StepRow(rs.getString("run_id"), type == null ? "custom" : type, dim(rs.getString("model")),
          "error".equals(status) || "timeout".equals(status), rs.getString("retry_of") != null || attempt > 1,
          ms, ms == null || start == null || end == null ? null : end - start, rs.getLong("input_tokens"),
          rs.getLong("output_tokens"), rs.getDouble("cost_usd"));
    }
  }

  /** Sends the contribution of {@code run} with {@code steps} to {@code sink}. */
  static void contribute(RunRow run, List<StepRow> steps, Sink sink) {
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
    sink.run(run.startNs(), run.dims(), r);
    for (StepRow s : steps) {
      StepAgg a = new StepAgg();
      a.steps = 1;
      a.errors = s.failed() ? 1 : 0;
      a.retries = s.retry() ? 1 : 0;
      if (s.durationMs() != null) {
        a.timed = 1;
        a.durationNs = s.durationNs();
        a.latency.add(s.durationMs(), 1);
      }
      a.inputTokens = s.inputTokens();
      a.outputTokens = s.outputTokens();
      a.costUsd = s.costUsd();
      sink.step(run.startNs(), new StepDims(run.dims(), s.type(), s.model()), a);
    }
  }

  /** The first minute bucket still kept at {@code nowNs}; older minute buckets are neither written nor read. */
  static long minuteFloor(long nowNs) {
    return bucket(nowNs - MINUTE_TIER_KEEP_NS, TIERS[0]) + MINUTE_NS;
  }

  /** The start of the bucket of width {@code tierSeconds} that holds {@code ns}. */
  static long bucket(long ns, long tierSeconds) {
    long w = tierSeconds * 1_000_000_000L;
    return Math.floorDiv(ns, w) * w;
  }
}
