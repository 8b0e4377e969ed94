package dev.sextant.store.clickhouse;

import static dev.sextant.store.clickhouse.ClickHouseClient.quote;
import static dev.sextant.store.clickhouse.StoredRows.doubleValue;
import static dev.sextant.store.clickhouse.StoredRows.longValue;
import static dev.sextant.store.clickhouse.StoredRows.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.store.RunQuantiles;
import dev.sextant.store.RunQuery;
import dev.sextant.store.sql.LatencyBins;
import dev.sextant.store.sql.Rollup;
import dev.sextant.store.sql.RollupRows;
import dev.sextant.store.sql.RollupSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The rollup reads' rows from ClickHouse: rollup rows merged from their aggregate states (rows
 * whose runs or steps sum to nothing are left out, as the row stores delete them), and raw runs
 * with the contribution each run row carries (computed by the writer with {@link Rollup#contribute}),
 * so raw edges need no read of steps.
 */
final class ClickHouseRollups implements RollupSource {
  private final ClickHouseClient client;
  private final BiFunction<String, RunQuery.ScoreFilter, Collection<String>> scoredRuns;

  ClickHouseRollups(ClickHouseClient client, BiFunction<String, RunQuery.ScoreFilter, Collection<String>> scoredRuns) {
    this.client = client;
    this.scoredRuns = scoredRuns;
  }

  @Override
  public RollupRows rows(String projectId, RunQuery q) {
    return new Rows(projectId, q);
  }

  @Override
  public RunQuantiles exactRunQuantiles(String projectId, RunQuery q, double... qs) {
    ObjectNode r = client.select("SELECT arraySort(groupArray(duration_ms)) AS d FROM runs_by_start FINAL WHERE "
        + ChRunFilter.where(projectId, q, scoredRuns)).get(0);
    double[] sorted = doubles(r.get("d"));
    Double[] values = new Double[qs.length];
    for (int i = 0; i < qs.length; i++) values[i] = percentile(sorted, qs[i]);
    return new RunQuantiles(sorted.length, values);
  }

  @Override
  public Map<String, Double[]> exactStepPercentiles(String projectId, RunQuery q) {
    Map<String, Double[]> out = new HashMap<>();
    client.select("SELECT ifNull(type, 'custom') AS t, arraySort(groupArray(if(end_ns >= start_ns,"
        + " (end_ns - start_ns) / 1000000.0, NULL))) AS d FROM steps FINAL WHERE "
        + ChRunFilter.stepsOf(projectId, q, scoredRuns) + " GROUP BY t", row -> {
          double[] sorted = doubles(row.get("d"));
          out.put(row.get("t").asText(),
              new Double[] {percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99)});
        });
    return out;
  }

  /** The value at fraction {@code p} of sorted values, interpolated linearly (SQL's percentile_cont); null for none. */
  static Double percentile(double[] sorted, double p) {
    if (sorted.length == 0) return null;
    double at = p * (sorted.length - 1);
    int lo = (int) Math.floor(at);
    int hi = (int) Math.ceil(at);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
  }

  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) out[i] = array.get(i).asDouble();
    return out;
  }

  /** The rows of one project under one filter. */
  private final class Rows implements RollupRows {
    private final String projectId;
    private final RunQuery q;
    private final String dims;

    Rows(String projectId, RunQuery q) {
      this.projectId = projectId;
      this.q = q;
      StringBuilder d = new StringBuilder();
      eq(d, "agent_id", q.agent() == null ? null : Rollup.dim(q.agent()));
      eq(d, "agent_version", q.version() == null ? null : Rollup.dim(q.version()));
      eq(d, "environment", q.environment() == null ? null : Rollup.dim(q.environment()));
      eq(d, "status", q.status());
      eq(d, "failure_type", q.failureType() == null ? null : Rollup.dim(q.failureType()));
      eq(d, "failure_code", q.failureCode() == null ? null : Rollup.dim(q.failureCode()));
      this.dims = d.toString();
    }

    private static void eq(StringBuilder d, String column, String value) {
      if (value != null) d.append(" AND ").append(column).append(" = ").append(quote(value));
    }

    private String range(long tier, long from, long to) {
      return where(tierRange(tier, from, to));
    }

    private String where(String buckets) {
      return " WHERE project_id = " + quote(projectId) + " AND (" + buckets + ")" + dims;
    }

    private static String tierRange(long tier, long from, long to) {
      return "tier = " + tier + " AND bucket_ns >= " + from + " AND bucket_ns < " + to;
    }

    /** The tier ranges as one condition over rollup rows, null for none. */
    private static String tierRanges(List<Range> ranges) {
      StringBuilder c = new StringBuilder();
      for (Range r : ranges) {
        if (r.tier() == 0) continue;
        if (c.length() > 0) c.append(" OR ");
        c.append('(').append(tierRange(r.tier(), r.from(), r.to())).append(')');
      }
      return c.length() == 0 ? null : c.toString();
    }

    /** The raw ranges as one condition over runs' starts, null for none. */
    private static String rawRanges(List<Range> ranges) {
      StringBuilder c = new StringBuilder();
      for (Range r : ranges) {
        if (r.tier() != 0) continue;
        if (c.length() > 0) c.append(" OR ");
        c.append("(start_ns >= ").append(r.from()).append(" AND start_ns < ").append(r.to()).append(')');
      }
      return c.length() == 0 ? null : c.toString();
    }

    /** Every range in three reads (run rollups, step rollups, raw runs) instead of one per range and table. */
    @Override
    public void scan(List<Range> ranges, boolean withSteps, Rollup.Sink sink) {
      String tiers = tierRanges(ranges);
      if (tiers != null) {
        runRows(where(tiers), sink);
        if (withSteps) stepRows(where(tiers), sink);
      }
      String raw = rawRanges(ranges);
      if (raw != null) rawRows("(" + raw + ")", withSteps, sink);
    }

    /** The points of every tier range in one read, summed where the rows are. */
    @Override
    public void points(List<Range> ranges, long origin, long width, PointSink sink) {
      String tiers = tierRanges(ranges);
      if (tiers == null) return;
      client.select("SELECT intDiv(bucket_ns - " + origin + ", " + width + ") AS point, status, sum(n) AS n,"
          + " sum(timed) AS timed, sum(duration_ns) AS duration_ns, sum(retries) AS retries,"
          + " sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd,"
          + " sumMap(tupleElement(latency, 1), tupleElement(latency, 2)) AS latency FROM (" + RUN_SUMS
          + ", sumMapMerge(latency) AS latency FROM rollup_runs" + where(tiers) + " GROUP BY bucket_ns, " + DIMS + " HAVING n > 0)"
          + " GROUP BY point, status", row -> {
            Rollup.RunAgg a = runAgg(row);
            LatencyBins bins = new LatencyBins();
            addBins(bins, row.get("latency").get(0), row.get("latency").get(1));
            sink.totals(row.get("point").asLong(), row.get("status").asText(), a);
            if (!bins.isEmpty()) sink.latency(row.get("point").asLong(), bins);
          });
    }

    private static final String DIMS = "agent_id, agent_version, environment, status, failure_type, failure_code";

    /** A run rollup row's key and merged sums, without its latency. */
    private static final String RUN_SUMS = "SELECT bucket_ns, " + DIMS + ", sumMerge(runs) AS n, sumMerge(timed) AS timed,"
        + " sumMerge(duration_ns) AS duration_ns, sumMerge(retries) AS retries,"
        + " sumMerge(input_tokens) AS input_tokens, sumMerge(output_tokens) AS output_tokens,"
        + " sumMerge(cost_usd) AS cost_usd, sumMerge(cost_sq_usd) AS cost_sq_usd";

    @Override
    public void runs(long tier, long from, long to, Rollup.Sink sink) {
      runRows(range(tier, from, to), sink);
    }

    private void runRows(String where, Rollup.Sink sink) {
      client.select(RUN_SUMS + ", sumMapMerge(latency) AS latency FROM rollup_runs" + where + " GROUP BY bucket_ns, "
          + DIMS + " HAVING n > 0", row -> {
            Rollup.RunAgg a = runAgg(row);
            a.costSqUsd = row.get("cost_sq_usd").asDouble();
            addBins(a.latency, row.get("latency").get(0), row.get("latency").get(1));
            sink.run(row.get("bucket_ns").asLong(), dims(row), a);
          });
    }

    @Override
    public void steps(long tier, long from, long to, Rollup.Sink sink) {
      stepRows(range(tier, from, to), sink);
    }

    private void stepRows(String where, Rollup.Sink sink) {
      client.select("SELECT bucket_ns, " + DIMS + ", step_type, model, sumMerge(steps) AS n,"
          + " sumMerge(errors) AS errors, sumMerge(retries) AS retries, sumMerge(timed) AS timed,"
          + " sumMerge(duration_ns) AS duration_ns, sumMerge(input_tokens) AS input_tokens,"
          + " sumMerge(output_tokens) AS output_tokens, sumMerge(cost_usd) AS cost_usd,"
          + " sumMapMerge(latency) AS latency FROM rollup_steps" + where
          + " GROUP BY bucket_ns, " + DIMS + ", step_type, model HAVING n > 0",
          row -> {
            Rollup.StepAgg a = new Rollup.StepAgg();
            a.steps = row.get("n").asLong();
            a.errors = row.get("errors").asLong();
            a.retries = row.get("retries").asLong();
            a.timed = row.get("timed").asLong();
            a.durationNs = row.get("duration_ns").asLong();
            a.inputTokens = row.get("input_tokens").asLong();
            a.outputTokens = row.get("output_tokens").asLong();
            a.costUsd = row.get("cost_usd").asDouble();
            addBins(a.latency, row.get("latency").get(0), row.get("latency").get(1));
            sink.step(row.get("bucket_ns").asLong(),
                new Rollup.StepDims(dims(row), row.get("step_type").asText(), row.get("model").asText()), a);
          });
    }

    @Override
    public void raw(long from, long to, boolean withSteps, Rollup.Sink sink) {
      rawRows("start_ns >= " + from + " AND start_ns < " + to, withSteps, sink);
    }

    /** Raw runs under the filter, apart from its times, whose start meets {@code starts}. */
    private void rawRows(String starts, boolean withSteps, Rollup.Sink sink) {
      client.select("SELECT start_ns, agent_id, agent_version, environment, status, failure_type, failure_code,"
          + " retry_count, input_tokens, output_tokens, cost_usd, c_timed, c_duration_ns, c_cost_sq_usd, c_bins,"
          + " c_bin_counts" + (withSteps ? ", g_type, g_model, g_steps, g_errors, g_retries, g_timed, g_duration_ns,"
          + " g_input_tokens, g_output_tokens, g_cost_usd, g_bins, g_bin_counts" : "")
          + " FROM runs_by_start FINAL WHERE " + ChRunFilter.where(projectId, q.withTimes(null, null), scoredRuns)
          + " AND " + starts, row -> contribution(row, withSteps, sink));
    }

    @Override
    public Long edgeBucket(boolean first, long tier, long from, long to) {
      ObjectNode r = client.select("SELECT count() AS k, " + (first ? "min" : "max") + "(b) AS v FROM"
          + " (SELECT bucket_ns AS b, sumMerge(runs) AS n FROM rollup_runs" + range(tier, from, to)
          + " GROUP BY bucket_ns HAVING n > 0)").get(0);
      return r.get("k").asLong() == 0 ? null : r.get("v").asLong();
    }

    @Override
    public Long edgeStart(boolean first, long from, long to) {
      ObjectNode r = client.select("SELECT count() AS k, " + (first ? "min" : "max") + "(start_ns) AS v"
          + " FROM runs_by_start FINAL WHERE " + ChRunFilter.where(projectId, q.withTimes(from, to), scoredRuns)).get(0);
      return r.get("k").asLong() == 0 ? null : r.get("v").asLong();
    }
  }

  /** What a run row contributes, as the writer computed it and stored it on the row. */
  private static void contribution(ObjectNode row, boolean withSteps, Rollup.Sink sink) {
    long start = row.get("start_ns").asLong();
    Rollup.RunDims dims = new Rollup.RunDims(Rollup.dim(text(row, "agent_id")), Rollup.dim(text(row, "agent_version")),
        Rollup.dim(text(row, "environment")), text(row, "status"), Rollup.dim(text(row, "failure_type")),
        Rollup.dim(text(row, "failure_code")));
    Rollup.RunAgg r = new Rollup.RunAgg();
    r.runs = 1;
    r.timed = row.get("c_timed").asLong();
    r.durationNs = row.get("c_duration_ns").asLong();
    r.retries = row.get("retry_count").asLong();
    Long in = longValue(row, "input_tokens");
    Long out = longValue(row, "output_tokens");
    Double cost = doubleValue(row, "cost_usd");
    r.inputTokens = in == null ? 0 : in;
    r.outputTokens = out == null ? 0 : out;
    r.costUsd = cost == null ? 0 : cost;
    r.costSqUsd = row.get("c_cost_sq_usd").asDouble();
    addBins(r.latency, row.get("c_bins"), row.get("c_bin_counts"));
    sink.run(start, dims, r);
    if (!withSteps) return;
    JsonNode types = row.get("g_type");
    for (int i = 0; i < types.size(); i++) {
      Rollup.StepAgg a = new Rollup.StepAgg();
      a.steps = row.get("g_steps").get(i).asLong();
      a.errors = row.get("g_errors").get(i).asLong();
      a.retries = row.get("g_retries").get(i).asLong();
      a.timed = row.get("g_timed").get(i).asLong();
      a.durationNs = row.get("g_duration_ns").get(i).asLong();
      a.inputTokens = row.get("g_input_tokens").get(i).asLong();
      a.outputTokens = row.get("g_output_tokens").get(i).asLong();
      a.costUsd = row.get("g_cost_usd").get(i).asDouble();
      addBins(a.latency, row.get("g_bins").get(i), row.get("g_bin_counts").get(i));
      sink.step(start, new Rollup.StepDims(dims, types.get(i).asText(), row.get("g_model").get(i).asText()), a);
    }
  }

  private static Rollup.RunAgg runAgg(ObjectNode row) {
    Rollup.RunAgg a = new Rollup.RunAgg();
    a.runs = row.get("n").asLong();
    a.timed = row.get("timed").asLong();
    a.durationNs = row.get("duration_ns").asLong();
    a.retries = row.get("retries").asLong();
    a.inputTokens = row.get("input_tokens").asLong();
    a.outputTokens = row.get("output_tokens").asLong();
    a.costUsd = row.get("cost_usd").asDouble();
    return a;
  }

  private static Rollup.RunDims dims(ObjectNode row) {
    return new Rollup.RunDims(row.get("agent_id").asText(), row.get("agent_version").asText(),
        row.get("environment").asText(), row.get("status").asText(), row.get("failure_type").asText(),
        row.get("failure_code").asText());
  }

  private static void addBins(LatencyBins bins, JsonNode keys, JsonNode counts) {
    for (int i = 0; i < keys.size(); i++) bins.addBin(keys.get(i).asLong(), counts.get(i).asLong());
  }
}
