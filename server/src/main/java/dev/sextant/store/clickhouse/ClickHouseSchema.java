package dev.sextant.store.clickhouse;

import java.util.ArrayList;
import java.util.List;

/**
 * The ClickHouse tables of runs, steps and their rollups, in the SQL subset that ClickHouse 18.16
 * and current releases both accept (see {@code server/RATIONALE.md}, "ClickHouse").
 *
 * <ul>
 *   <li>{@code runs}: a {@code VersionedCollapsingMergeTree}. Every change of a run inserts a row
 *       cancelling its previous version ({@code sign = -1}, the old row's values) and the new version
 *       ({@code sign = 1}), in one insert; {@code FINAL} reads the latest version before any merge.
 *       Each row also carries what the run contributes to the rollups, so the materialized views
 *       below add the new contribution and subtract the old one from the same insert: the rollups
 *       cannot drift from the runs, whatever fails between two inserts.
 *   <li>{@code runs_by_start}: the same rows (but the large fields a run list never shows) sorted
 *       by project and start, filled by a materialized view, for every read over a time range or
 *       in start order.
 *   <li>{@code steps}: a {@code ReplacingMergeTree} by version; a step's rows are whole (merged in
 *       the writer), so the latest version is the step.
 *   <li>{@code rollup_runs}, {@code rollup_steps}: {@code AggregatingMergeTree}s of {@code sum} and
 *       {@code sumMap} states per bucket of each tier (minute, hour, day), fed by materialized views.
 * </ul>
 *
 * <p>Runs and steps are partitioned by project and by the month of the run's start as first stored
 * ({@code part_month}, never changed afterwards, so a run's versions always collapse within one
 * partition); retention drops whole partitions. With a cluster, each table exists on every server as
 * {@code <name>_local} and the name itself is a {@code Distributed} table over them, sharded by run,
 * so all rows of a run live on one shard and {@code FINAL} needs no other shard.
 */
final class ClickHouseSchema {
  private ClickHouseSchema() {}

  /** The tiers' bucket widths in seconds, as the row stores' rollups ({@code Rollup.TIERS}). */
  static final String TIERS = "[60, 3600, 86400]";

  /** The columns of {@code runs}, in table order. */
  static final String RUN_COLUMNS = "project_id String, run_id String, version UInt64, sign Int8, part_month UInt32,"
      // deleted: a run retention removed; counted: the row's contribution goes to the rollups;
      // incarnation: the version that created the run, which its steps carry (a run deleted and
      // created again does not see the steps of before)
      + " deleted UInt8, counted UInt8 DEFAULT 1, incarnation UInt64,"
      + " agent_id Nullable(String), agent_version Nullable(String), environment Nullable(String),"
      + " name Nullable(String), session_id Nullable(String), labels Nullable(String),"
      + " label_keys Array(String), label_values Array(String),"
      + " reported_start_ns Nullable(Int64), reported_end_ns Nullable(Int64), reported_status Nullable(String),"
      + " failure_type Nullable(String), failure_code Nullable(String), failure_message Nullable(String),"
      + " failure_step_id Nullable(String), failure_inferred UInt8,"
      + " metadata Nullable(String), input Nullable(String), output Nullable(String),"
      + " start_ns Int64, end_ns Nullable(Int64), status String, duration_ms Nullable(Float64),"
      + " step_count Int64, error_count Int64, retry_count Int64,"
      + " input_tokens Nullable(Int64), output_tokens Nullable(Int64), cost_usd Nullable(Float64),"
      // what the run contributes to the rollups (see RunDerivation)
      + " c_timed UInt8, c_duration_ns Int64, c_cost_sq_usd Float64, c_bins Array(Int32), c_bin_counts Array(Int64),"
      + " g_type Array(String), g_model Array(String), g_steps Array(Int64), g_errors Array(Int64),"
      + " g_retries Array(Int64), g_timed Array(Int64), g_duration_ns Array(Int64), g_input_tokens Array(Int64),"
      + " g_output_tokens Array(Int64), g_cost_usd Array(Float64), g_bins Array(Array(Int32)),"
      + " g_bin_counts Array(Array(Int64))";

  /** The columns of {@code steps}, in table order. */
  static final String STEP_COLUMNS = "project_id String, run_id String, step_id String, version UInt64,"
      + " incarnation UInt64,"
      + " part_month UInt32, parent_step_id Nullable(String), seq Nullable(Int32), type Nullable(String),"
      + " name Nullable(String), start_ns Nullable(Int64), end_ns Nullable(Int64), status Nullable(String),"
      + " attempt Nullable(Int32), retry_of Nullable(String), model Nullable(String), provider Nullable(String),"
      + " input_tokens Nullable(Int64), output_tokens Nullable(Int64), cache_read_tokens Nullable(Int64),"
      + " reasoning_tokens Nullable(Int64), cost_usd Nullable(Float64), cost_computed UInt8,"
      + " ttft_ms Nullable(Float64), error_type Nullable(String), error_code Nullable(String),"
      + " error_message Nullable(String), metadata Nullable(String), input Nullable(String),"
      + " output Nullable(String), events Nullable(String), normalization Nullable(String)";

  private static final String RUN_DIMS = "project_id String, tier UInt32, bucket_ns Int64, agent_id String,"
      + " agent_version String, environment String, status String, failure_type String, failure_code String";

  private static final String ROLLUP_RUN_COLUMNS = RUN_DIMS + ", runs AggregateFunction(sum, Int64),"
      + " timed AggregateFunction(sum, Int64), duration_ns AggregateFunction(sum, Int64),"
      + " retries AggregateFunction(sum, Int64), input_tokens AggregateFunction(sum, Int64),"
      + " output_tokens AggregateFunction(sum, Int64), cost_usd AggregateFunction(sum, Float64),"
      + " cost_sq_usd AggregateFunction(sum, Float64),"
      + " latency AggregateFunction(sumMap, Array(Int32), Array(Int64))";

  private static final String ROLLUP_STEP_COLUMNS = RUN_DIMS + ", step_type String, model String,"
      + " steps AggregateFunction(sum, Int64), errors AggregateFunction(sum, Int64),"
      + " retries AggregateFunction(sum, Int64), timed AggregateFunction(sum, Int64),"
      + " duration_ns AggregateFunction(sum, Int64), input_tokens AggregateFunction(sum, Int64),"
      + " output_tokens AggregateFunction(sum, Int64), cost_usd AggregateFunction(sum, Float64),"
      + " latency AggregateFunction(sumMap, Array(Int32), Array(Int64))";

  private static final String RUN_DIM_KEY =
      "project_id, tier, bucket_ns, agent_id, agent_version, environment, status, failure_type, failure_code";

  /** A dimension as the rollups store it ({@code Rollup.dim}): '' for none, '=' and the value otherwise. */
  private static String dim(String column) {
    return "if(isNull(" + column + "), '', concat('=', assumeNotNull(" + column + ")))";
  }

  /** The start of the bucket of width {@code tier} seconds holding {@code start_ns}, rounding down. */
  private static final String BUCKET = "start_ns - ((start_ns % (toInt64(tier) * 1000000000))"
      + " + toInt64(tier) * 1000000000) % (toInt64(tier) * 1000000000)";

  private static final String RUN_DIM_SELECT = "project_id, arrayJoin(" + TIERS + ") AS tier, " + BUCKET
      + " AS bucket_ns, " + dim("agent_id") + " AS agent_id, " + dim("agent_version") + " AS agent_version, "
      + dim("environment") + " AS environment, status, " + dim("failure_type") + " AS failure_type, "
      + dim("failure_code") + " AS failure_code";

  private static final String RUNS_VIEW = "SELECT " + RUN_DIM_SELECT + ", sumState(toInt64(sign)) AS runs,"
      + " sumState(toInt64(sign * c_timed)) AS timed, sumState(sign * c_duration_ns) AS duration_ns,"
      + " sumState(sign * retry_count) AS retries, sumState(sign * ifNull(input_tokens, 0)) AS input_tokens,"
      + " sumState(sign * ifNull(output_tokens, 0)) AS output_tokens,"
      + " sumState(sign * ifNull(cost_usd, 0)) AS cost_usd, sumState(sign * c_cost_sq_usd) AS cost_sq_usd,"
      + " sumMapState(c_bins, arrayMap(x -> x * sign, c_bin_counts)) AS latency"
      + " FROM {runs} WHERE counted = 1 GROUP BY " + RUN_DIM_KEY;

  private static final String STEPS_VIEW = "SELECT " + RUN_DIM_SELECT + ", t AS step_type, m AS model,"
      + " sumState(sign * n) AS steps, sumState(sign * e) AS errors, sumState(sign * r) AS retries,"
      + " sumState(sign * tm) AS timed, sumState(sign * d) AS duration_ns, sumState(sign * i) AS input_tokens,"
      + " sumState(sign * o) AS output_tokens, sumState(sign * c) AS cost_usd,"
      + " sumMapState(b, arrayMap(x -> x * sign, bc)) AS latency"
      + " FROM {runs} ARRAY JOIN g_type AS t, g_model AS m, g_steps AS n, g_errors AS e, g_retries AS r,"
      + " g_timed AS tm, g_duration_ns AS d, g_input_tokens AS i, g_output_tokens AS o, g_cost_usd AS c,"
      + " g_bins AS b, g_bin_counts AS bc WHERE counted = 1 GROUP BY " + RUN_DIM_KEY + ", step_type, model";

  /**
   * The columns of {@code runs_by_start}: those of {@code runs} but the run's metadata, input,
   * output, failure message and reported values, which only a read of one run by id returns.
   */
  static final String RUN_BY_START_COLUMNS = "project_id, run_id, version, sign, part_month, deleted, counted,"
      + " incarnation, agent_id, agent_version, environment, name, session_id, labels, label_keys, label_values,"
      + " failure_type, failure_code, failure_step_id, failure_inferred, start_ns, end_ns, status, duration_ms,"
      + " step_count, error_count, retry_count, input_tokens, output_tokens, cost_usd, c_timed, c_duration_ns,"
      + " c_cost_sq_usd, c_bins, c_bin_counts, g_type, g_model, g_steps, g_errors, g_retries, g_timed,"
      + " g_duration_ns, g_input_tokens, g_output_tokens, g_cost_usd, g_bins, g_bin_counts";

  /** One table: its columns, the engine of its local table, and the sharding key of its distributed one. */
  private record Table(String name, String columns, String engine, String shardBy) {}

  // runs are read a page or a run at a time: granules of 1,024 rows instead of 8,192 read an eighth
  // as much for each (their marks stay small: a run stands for many steps)
  private static final List<Table> TABLES = List.of(
      new Table("runs", RUN_COLUMNS, "VersionedCollapsingMergeTree(sign, version)"
          + " PARTITION BY (project_id, part_month) ORDER BY (project_id, run_id) SETTINGS index_granularity = 1024",
          "cityHash64(project_id, run_id)"),
      // the same versions sorted by start: a start-time range reads only its granules. A change of
      // start cancels the old row under its old key, as in runs, so the latest version is still one row
      new Table("runs_by_start", byStartColumns(), "VersionedCollapsingMergeTree(sign, version)"
          + " PARTITION BY (project_id, part_month) ORDER BY (project_id, start_ns, run_id)"
          + " SETTINGS index_granularity = 1024",
          "cityHash64(project_id, run_id)"),
      new Table("steps", STEP_COLUMNS, "ReplacingMergeTree(version)"
          + " PARTITION BY (project_id, part_month) ORDER BY (project_id, run_id, step_id)",
          "cityHash64(project_id, run_id)"),
      new Table("rollup_runs", ROLLUP_RUN_COLUMNS, "AggregatingMergeTree()"
          + " PARTITION BY (project_id, toYYYYMM(toDateTime(intDiv(bucket_ns, 1000000000))))"
          + " ORDER BY (" + RUN_DIM_KEY + ")", "rand()"),
      new Table("rollup_steps", ROLLUP_STEP_COLUMNS, "AggregatingMergeTree()"
          + " PARTITION BY (project_id, toYYYYMM(toDateTime(intDiv(bucket_ns, 1000000000))))"
          + " ORDER BY (" + RUN_DIM_KEY + ", step_type, model)", "rand()"),
      new Table("retention_marks", "project_id String, raw_from_ns Int64, version UInt64",
          "ReplacingMergeTree(version) ORDER BY project_id", "cityHash64(project_id)"));

  /** The declarations of {@link #RUN_BY_START_COLUMNS}, taken from {@link #RUN_COLUMNS}. */
  private static String byStartColumns() {
    List<String> out = new ArrayList<>();
    List<String> wanted = List.of(RUN_BY_START_COLUMNS.split(", "));
    for (String declaration : RUN_COLUMNS.split(",\\s*(?![^()]*\\))")) {
      if (wanted.contains(declaration.trim().split(" ")[0])) out.add(declaration.trim());
    }
    return String.join(", ", out);
  }

  /** The statements that create the schema on a server that has none of it yet. */
  static List<String> create(String database, String cluster) {
    return create(database, cluster, false);
  }

  /**
   * The statements that create the schema on one server, in order; each is idempotent.
   *
   * @param cluster the {@code remote_servers} cluster to shard over, or null for a single server
   * @param copyRunsByStart whether {@code runs_by_start} is new on a server whose {@code runs} may
   *     hold rows: they are copied, every version and cancelling row, before its view exists
   */
  static List<String> create(String database, String cluster, boolean copyRunsByStart) {
    List<String> sql = new ArrayList<>();
    sql.add("CREATE DATABASE IF NOT EXISTS " + database);
    for (Table t : TABLES) {
      sql.add("CREATE TABLE IF NOT EXISTS " + database + "." + local(t.name(), cluster) + " (" + t.columns()
          + ") ENGINE = " + t.engine());
    }
    String runs = database + "." + local("runs", cluster);
    String byStart = database + "." + local("runs_by_start", cluster);
    if (copyRunsByStart) {
      sql.add("INSERT INTO " + byStart + " SELECT " + RUN_BY_START_COLUMNS + " FROM " + runs);
    }
    sql.add("CREATE MATERIALIZED VIEW IF NOT EXISTS " + byStart + "_view TO " + byStart + " AS SELECT "
        + RUN_BY_START_COLUMNS + " FROM " + runs);
    sql.add("CREATE MATERIALIZED VIEW IF NOT EXISTS " + database + "." + local("rollup_runs", cluster) + "_view TO "
        + database + "." + local("rollup_runs", cluster) + " AS " + RUNS_VIEW.replace("{runs}", runs));
    sql.add("CREATE MATERIALIZED VIEW IF NOT EXISTS " + database + "." + local("rollup_steps", cluster) + "_view TO "
        + database + "." + local("rollup_steps", cluster) + " AS " + STEPS_VIEW.replace("{runs}", runs));
    if (cluster != null) {
      for (Table t : TABLES) {
        sql.add("CREATE TABLE IF NOT EXISTS " + database + "." + t.name() + " AS " + database + "." + t.name()
            + "_local ENGINE = Distributed(" + cluster + ", " + database + ", " + t.name() + "_local, "
            + t.shardBy() + ")");
      }
    }
    return sql;
  }

  /** The name of a table's local part: the table itself on a single server. */
  static String local(String table, String cluster) {
    return cluster == null ? table : table + "_local";
  }
}
