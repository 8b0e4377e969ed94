package dev.sextant.store.clickhouse;

import static dev.sextant.store.clickhouse.ClickHouseClient.quote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Json;
import dev.sextant.model.Times;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.sql.DeletedRuns;
import dev.sextant.store.sql.Rollup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Retention on ClickHouse, with the row stores' meaning but ClickHouse's means.
 *
 * <ul>
 *   <li>A run is deleted at once by a new version of its row marked {@code deleted}; neither that
 *       row nor the one cancelling the run's last version is {@code counted}, so the rollups keep
 *       the run, as they do on the row stores. Its steps are left where they are, unseen: reads
 *       take steps of live runs' incarnations only.
 *   <li>The space comes back when every run of a month partition is deleted: the partition is
 *       dropped, runs and steps alike ({@link #dropExpiredPartitions}), which costs ClickHouse
 *       nothing, unlike a row-by-row {@code DELETE} mutation.
 *   <li>A rollup bucket is deleted at once by inserting its negation, so it sums to nothing.
 *   <li>Where raw data begins is kept per project in {@code retention_marks}; records of runs
 *       deleted before it are dropped on arrival, as on the row stores, so they are not counted twice.
 * </ul>
 */
final class ClickHouseRetention {
  private final ClickHouseClient client;
  private final ClickHouseStore.ClickHouseConfig config;

  ClickHouseRetention(ClickHouseClient client, ClickHouseStore.ClickHouseConfig config) {
    this.client = client;
    this.config = config;
  }

  /** Where the project's raw runs begin (those before may be deleted); null when none was deleted. */
  Long rawFrom(String projectId) {
    List<ObjectNode> r = client.select("SELECT raw_from_ns FROM retention_marks FINAL WHERE project_id = "
        + quote(projectId));
    return r.isEmpty() ? null : r.get(0).get("raw_from_ns").asLong();
  }

  /** {@code batches} without the records of runs that retention deleted ({@link DeletedRuns}). */
  List<WriteBatch> withoutDeletedRuns(List<WriteBatch> batches) {
    return DeletedRuns.without(batches, (projectId, none) -> rawFrom(projectId), (projectId, runIds) -> {
      Set<String> live = new HashSet<>();
      client.select("SELECT run_id FROM runs FINAL WHERE project_id = " + quote(projectId) + " AND deleted = 0"
          + " AND run_id IN (" + ClickHouseClient.quoteAll(runIds) + ")", row -> live.add(row.get("run_id").asText()));
      return live;
    });
  }

  /**
   * Deletes up to {@code max} of the project's oldest live runs that started before {@code before};
   * returns their ids.
   */
  List<String> expireRuns(String projectId, long before, int max) {
    // the ids from the start-sorted copy, which reads only the granules before the cutoff
    List<String> ids = new ArrayList<>();
    client.select("SELECT run_id FROM runs_by_start FINAL WHERE project_id = " + quote(projectId)
        + " AND deleted = 0 AND start_ns < " + before + " ORDER BY start_ns, run_id LIMIT " + max,
        row -> ids.add(row.get("run_id").asText()));
    if (ids.isEmpty()) return List.of();
    List<ObjectNode> runs = client.select("SELECT * FROM runs FINAL WHERE project_id = " + quote(projectId)
        + " AND deleted = 0 AND run_id IN (" + ClickHouseClient.quoteAll(ids) + ")");
    if (runs.isEmpty()) return List.of();
    Long known = rawFrom(projectId);
    if (known == null || known < before) {
      ObjectNode mark = Json.object();
      mark.put("project_id", projectId);
      mark.put("raw_from_ns", before);
      mark.put("version", Times.nowNanos());
      client.insert("retention_marks", List.of(mark));
    }
    List<ObjectNode> rows = new ArrayList<>(runs.size() * 2);
    for (ObjectNode run : runs) {
      ObjectNode cancel = run.deepCopy();
      cancel.put("sign", -1);
      cancel.put("counted", 0);
      ObjectNode tombstone = run.deepCopy();
      tombstone.put("version", run.get("version").asLong() + 1);
      tombstone.put("deleted", 1);
      tombstone.put("counted", 0);
      rows.add(cancel);
      rows.add(tombstone);
    }
    client.insert("runs", rows);
    return runs.stream().map(r -> r.get("run_id").asText()).toList();
  }

  /**
   * Deletes up to {@code max} of the project's oldest expired buckets of each tier and table: minute
   * buckets that start before {@code minutesBefore}, hour and day buckets that end by {@code before}.
   */
  int expireRollups(String projectId, long before, long minutesBefore, int max) {
    int deleted = 0;
    for (long tier : Rollup.TIERS) {
      long cutoff = Rollup.keptFrom(tier, before, minutesBefore);
      if (cutoff == Long.MIN_VALUE) continue;
      deleted += cancelBuckets(projectId, tier, cutoff, max, false);
      deleted += cancelBuckets(projectId, tier, cutoff, max, true);
    }
    return deleted;
  }

  private static final String RUN_DIMS =
      "project_id, tier, bucket_ns, agent_id, agent_version, environment, status, failure_type, failure_code";

  /** Cancels the oldest {@code max} counting buckets of one tier before {@code cutoff}; returns how many. */
  private int cancelBuckets(String projectId, long tier, long cutoff, int max, boolean steps) {
    String table = steps ? "rollup_steps" : "rollup_runs";
    String count = steps ? "steps" : "runs";
    String dims = steps ? RUN_DIMS + ", step_type, model" : RUN_DIMS;
    String where = " WHERE project_id = " + quote(projectId) + " AND tier = " + tier + " AND bucket_ns < " + cutoff;
    List<ObjectNode> buckets = client.select("SELECT DISTINCT bucket_ns FROM (SELECT " + dims + ", sumMerge(" + count
        + ") AS n FROM " + table + where + " GROUP BY " + dims + " HAVING n > 0) ORDER BY bucket_ns LIMIT " + max);
    if (buckets.isEmpty()) return 0;
    long last = buckets.get(buckets.size() - 1).get("bucket_ns").asLong();
    List<String> values = steps
        ? List.of("steps", "errors", "retries", "timed", "duration_ns", "input_tokens", "output_tokens", "cost_usd")
        : List.of("runs", "timed", "duration_ns", "retries", "input_tokens", "output_tokens", "cost_usd",
            "cost_sq_usd");
    StringBuilder merged = new StringBuilder();
    StringBuilder negated = new StringBuilder();
    for (String v : values) {
      merged.append(", sumMerge(").append(v).append(") AS m_").append(v);
      negated.append(", sumState(-m_").append(v).append(")");
    }
    client.execute("INSERT INTO " + table + " SELECT " + dims + negated
        + ", sumMapState(tupleElement(m_latency, 1), arrayMap(x -> -x, tupleElement(m_latency, 2)))"
        + " FROM (SELECT " + dims + merged + ", sumMapMerge(latency) AS m_latency FROM " + table
        + " WHERE project_id = " + quote(projectId) + " AND tier = " + tier + " AND bucket_ns <= " + last
        + " GROUP BY " + dims + " HAVING m_" + count + " > 0) GROUP BY " + dims);
    return buckets.size();
  }

  /**
   * Drops the month partitions of runs (both tables) and steps where retention deleted every run,
   * on every server, returning their space at once.
   */
  void dropExpiredPartitions() {
    List<ObjectNode> expired = client.select("SELECT project_id, part_month FROM runs FINAL"
        + " GROUP BY project_id, part_month HAVING min(deleted) = 1");
    for (ObjectNode p : expired) {
      String partition = "(" + quote(p.get("project_id").asText()) + ", " + p.get("part_month").asLong() + ")";
      for (int i = 0; i < config.urls().size(); i++) {
        ClickHouseClient server = config.client(i);
        for (String table : List.of("steps", "runs_by_start", "runs")) {
          server.execute("ALTER TABLE " + ClickHouseSchema.local(table, config.cluster()) + " DROP PARTITION "
              + partition);
        }
      }
    }
  }
}
