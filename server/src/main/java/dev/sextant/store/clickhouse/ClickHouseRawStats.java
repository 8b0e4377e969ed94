package dev.sextant.store.clickhouse;

import static dev.sextant.store.clickhouse.ClickHouseClient.quote;
import static dev.sextant.store.clickhouse.ClickHouseRollups.doubles;
import static dev.sextant.store.clickhouse.ClickHouseRollups.percentile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Times;
import dev.sextant.store.AgentSummary;
import dev.sextant.store.RunMoments;
import dev.sextant.store.RunQuery;
import dev.sextant.store.Stats;
import dev.sextant.store.Timeseries;
import dev.sextant.store.sql.AgentRows;
import dev.sextant.store.sql.Rollup;
import dev.sextant.store.sql.SqlStats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Stats, timeseries and agents computed from raw rows (the latest versions of runs and steps): for
 * filters that rollups cannot answer (session, labels, text, duration bounds, scores), and as the
 * reference the rollups are tested against. Percentiles are exact and interpolated, as SQL's
 * {@code percentile_cont}; missing values sort first, as in SQLite.
 */
final class ClickHouseRawStats {
  private static final String RUN_AGGREGATES = "count() AS total, countIf(status = 'success') AS success,"
      + " countIf(status = 'failure') AS failure, countIf(status = 'partial') AS partial,"
      + " countIf(status = 'running') AS running, arraySort(groupArray(duration_ms)) AS durations,"
      + " sum(retry_count) AS retries, sum(ifNull(input_tokens, 0)) AS input_tokens,"
      + " sum(ifNull(output_tokens, 0)) AS output_tokens, sum(ifNull(cost_usd, 0)) AS cost_usd";

  private static final String STEP_MS = "if(end_ns >= start_ns, (end_ns - start_ns) / 1000000.0, NULL)";

  private final ClickHouseClient client;
  private final BiFunction<String, RunQuery.ScoreFilter, Collection<String>> scoredRuns;

  ClickHouseRawStats(ClickHouseClient client, BiFunction<String, RunQuery.ScoreFilter, Collection<String>> scoredRuns) {
    this.client = client;
    this.scoredRuns = scoredRuns;
  }

  private String where(String projectId, RunQuery q) {
    return ChRunFilter.where(projectId, q, scoredRuns);
  }

  /** The matching runs' steps. */
  private String stepsOf(String projectId, RunQuery q) {
    return " FROM steps FINAL WHERE " + ChRunFilter.stepsOf(projectId, q, scoredRuns);
  }

  Stats stats(String projectId, RunQuery q) {
    ObjectNode r = client.select("SELECT " + RUN_AGGREGATES + " FROM runs_by_start FINAL WHERE "
        + where(projectId, q)).get(0);
    Stats.RunCounts counts = counts(r);
    List<Stats.StepTypeStats> byType = new ArrayList<>();
    client.select("SELECT ifNull(type, 'custom') AS t, count() AS n, countIf(status IN ('error', 'timeout')) AS errors,"
        + " sum(ifNull(cost_usd, 0)) AS cost_usd, arraySort(groupArray(" + STEP_MS + ")) AS durations"
        + stepsOf(projectId, q) + " GROUP BY t ORDER BY n DESC, t", s -> {
          double[] d = doubles(s.get("durations"));
          byType.add(new Stats.StepTypeStats(s.get("t").asText(), s.get("n").asLong(), s.get("errors").asLong(),
              average(d), percentile(d, 0.50), percentile(d, 0.95), percentile(d, 0.99),
              s.get("cost_usd").asDouble()));
        });
    List<Stats.FailureCount> failures = new ArrayList<>();
    client.select("SELECT failure_type, failure_code, count() AS n FROM runs_by_start FINAL WHERE "
        + where(projectId, q) + " AND failure_type IS NOT NULL GROUP BY failure_type, failure_code", f -> failures.add(
            new Stats.FailureCount(f.get("failure_type").asText(), StoredRows.text(f, "failure_code"),
                f.get("n").asLong())));
    failures.sort(Comparator.comparingLong(Stats.FailureCount::count).reversed()
        .thenComparing(Stats.FailureCount::type)
        .thenComparing(Stats.FailureCount::code, Comparator.nullsFirst(Comparator.naturalOrder())));
    List<Stats.ModelCost> byModel = new ArrayList<>();
    client.select("SELECT model, count() AS n, sum(ifNull(input_tokens, 0)) AS input_tokens,"
        + " sum(ifNull(output_tokens, 0)) AS output_tokens, sum(ifNull(cost_usd, 0)) AS cost_usd"
        + stepsOf(projectId, q) + " AND model IS NOT NULL GROUP BY model", m -> byModel.add(new Stats.ModelCost(
            m.get("model").asText(), m.get("n").asLong(), m.get("input_tokens").asLong(),
            m.get("output_tokens").asLong(), m.get("cost_usd").asDouble())));
    return new Stats(counts, SqlStats.errorRate(counts), latency(r), byType, failures, r.get("retries").asLong(),
        new Stats.Tokens(r.get("input_tokens").asLong(), r.get("output_tokens").asLong()),
        r.get("cost_usd").asDouble(), SqlStats.sortByCost(byModel));
  }

  RunMoments costPerRun(String projectId, RunQuery q) {
    ObjectNode r = client.select("SELECT count() AS n, sum(ifNull(cost_usd, 0)) AS s,"
        + " sum(ifNull(cost_usd, 0) * ifNull(cost_usd, 0)) AS sq FROM runs_by_start FINAL WHERE "
        + where(projectId, q)).get(0);
    return new RunMoments(r.get("n").asLong(), r.get("s").asDouble(), r.get("sq").asDouble());
  }

  Timeseries timeseries(String projectId, RunQuery q, int buckets) {
    ObjectNode edges = client.select("SELECT count() AS n, min(start_ns) AS lo, max(start_ns) AS hi"
        + " FROM runs_by_start FINAL WHERE " + where(projectId, q)).get(0);
    boolean empty = edges.get("n").asLong() == 0;
    long dataFrom = edges.get("lo").asLong();
    long dataTo = edges.get("hi").asLong() + 1;
    long from = q.fromNanos() != null ? q.fromNanos() : dataFrom;
    long to = q.toNanos() != null ? q.toNanos() : dataTo;
    if (empty && (q.fromNanos() == null || q.toNanos() == null)) return new Timeseries(0, List.of());
    if (SqlStats.tooWide(from, to)) {
      if (empty) return new Timeseries(0, List.of());
      from = Math.max(from, dataFrom);
      to = Math.min(to, dataTo);
      if (SqlStats.tooWide(from, to)) return new Timeseries(0, List.of());
    }
    long width = SqlStats.niceBucket(Math.max(1, (to - from + buckets - 1) / buckets));
    long origin = Math.floorDiv(from, width) * width;
    Map<Long, Timeseries.Point> points = new HashMap<>();
    client.select("SELECT intDiv(start_ns - " + origin + ", " + width + ") AS bucket, " + RUN_AGGREGATES
        + " FROM runs_by_start FINAL WHERE " + where(projectId, q) + " GROUP BY bucket", r -> {
          long b = r.get("bucket").asLong();
          Stats.RunCounts counts = counts(r);
          points.put(b, new Timeseries.Point(Times.toInstant(origin + b * width), counts, SqlStats.errorRate(counts),
              latency(r), r.get("retries").asLong(),
              new Stats.Tokens(r.get("input_tokens").asLong(), r.get("output_tokens").asLong()),
              r.get("cost_usd").asDouble()));
        });
    List<Timeseries.Point> out = new ArrayList<>();
    Stats.RunCounts none = new Stats.RunCounts(0, 0, 0, 0, 0);
    Stats.Latency noLatency = new Stats.Latency(null, null, null, null);
    for (long b = 0; origin + b * width < to; b++) {
      Timeseries.Point p = points.get(b);
      out.add(p != null ? p : new Timeseries.Point(Times.toInstant(origin + b * width), none, 0, noLatency, 0,
          new Stats.Tokens(0, 0), 0));
    }
    return new Timeseries(width / 1_000_000, out);
  }

  /** Agents from raw runs. */
  List<AgentSummary> agentsFromRows(String projectId) {
    List<AgentRows.Row> rows = new ArrayList<>();
    client.select("SELECT agent_id, agent_version, environment, count() AS n, max(start_ns) AS last"
        + " FROM runs_by_start FINAL WHERE project_id = " + quote(projectId) + " AND deleted = 0 AND agent_id IS NOT NULL"
        + " GROUP BY agent_id, agent_version, environment", r -> rows.add(new AgentRows.Row(r.get("agent_id").asText(),
            StoredRows.text(r, "agent_version"), StoredRows.text(r, "environment"), r.get("n").asLong(),
            r.get("last").asLong())));
    rows.sort(AGENT_ORDER);
    return AgentRows.summarize(rows);
  }

  /** Agents from the day rollups, each with its latest start from raw runs of its last day. */
  List<AgentSummary> agents(String projectId) {
    long day = Rollup.TIERS[Rollup.TIERS.length - 1];
    List<AgentRows.Row> rows = new ArrayList<>();
    client.select("SELECT agent_id, agent_version, environment, sum(n) AS n, max(bucket_ns) AS last FROM"
        + " (SELECT agent_id, agent_version, environment, bucket_ns, sumMerge(runs) AS n FROM rollup_runs"
        + " WHERE project_id = " + quote(projectId) + " AND tier = " + day + " AND agent_id != ''"
        + " GROUP BY agent_id, agent_version, environment, bucket_ns HAVING n > 0)"
        + " GROUP BY agent_id, agent_version, environment", r -> {
          String agent = Rollup.undim(r.get("agent_id").asText());
          String version = Rollup.undim(r.get("agent_version").asText());
          String env = Rollup.undim(r.get("environment").asText());
          long lastDay = r.get("last").asLong();
          rows.add(new AgentRows.Row(agent, version, env, r.get("n").asLong(),
              lastStart(projectId, agent, version, env, lastDay, lastDay + day * 1_000_000_000L)));
        });
    rows.sort(AGENT_ORDER);
    return AgentRows.summarize(rows);
  }

  /** The latest start of one agent, version and environment in {@code [from, to)}; {@code from} when none is kept. */
  private long lastStart(String projectId, String agent, String version, String env, long from, long to) {
    ObjectNode r = client.select("SELECT count() AS k, max(start_ns) AS v FROM runs_by_start FINAL WHERE project_id = "
        + quote(projectId) + " AND deleted = 0 AND agent_id = " + quote(agent)
        + (version == null ? " AND agent_version IS NULL" : " AND agent_version = " + quote(version))
        + (env == null ? " AND environment IS NULL" : " AND environment = " + quote(env))
        + " AND start_ns >= " + from + " AND start_ns < " + to).get(0);
    return r.get("k").asLong() == 0 ? from : r.get("v").asLong();
  }

  /** By agent, version and environment, none first (as SQLite sorts NULL). */
  private static final Comparator<AgentRows.Row> AGENT_ORDER = Comparator.comparing(AgentRows.Row::agent)
      .thenComparing(AgentRows.Row::version, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(AgentRows.Row::environment, Comparator.nullsFirst(Comparator.naturalOrder()));

  private static Stats.RunCounts counts(ObjectNode r) {
    return new Stats.RunCounts(r.get("total").asLong(), r.get("success").asLong(), r.get("failure").asLong(),
        r.get("partial").asLong(), r.get("running").asLong());
  }

  private static Stats.Latency latency(ObjectNode r) {
    double[] d = doubles(r.get("durations"));
    return new Stats.Latency(average(d), percentile(d, 0.50), percentile(d, 0.95), percentile(d, 0.99));
  }

  private static Double average(double[] values) {
    if (values.length == 0) return null;
    double sum = 0;
    for (double v : values) sum += v;
    return sum / values.length;
  }

}
