package dev.sextant.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.cost.PriceTable;
import dev.sextant.model.Times;
import dev.sextant.store.RollupScenario;
import dev.sextant.store.RunDetail;
import dev.sextant.store.StepSummary;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.sql.RunDerivation;
import dev.sextant.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ClickHouse writer against the row stores' reference: the same random ingest sequences
 * (split runs, steps before their runs, corrections, late retries, batches delivered twice)
 * written into SQLite and into ClickHouse give the same runs, steps and rollups.
 */
class ITClickHouseWrites {
  @TempDir Path dir;

  @Test
  void randomSequencesGiveWhatSqliteGives() throws Exception {
    long now = Times.nowNanos();
    for (long seed = 1; seed <= 6; seed++) {
      String db = TestClickHouse.shared().newDatabase();
      ClickHouseClient client = TestClickHouse.shared().client(db);
      for (String sql : ClickHouseSchema.create(db, null)) client.execute(sql);
      ClickHouseTraceWriter writer = new ClickHouseTraceWriter(client, p -> PriceTable.builtIn());
      Path file = dir.resolve("reference-" + seed + ".db");
      try (SqliteStore sqlite = SqliteStore.builder().file(file).build()) {
        sqlite.migrate();
        int runs = 1 + (int) (seed % 9) * 3;
        List<List<WriteBatch>> writes = RollupScenario.writes(seed, "p", now, runs);
        for (List<WriteBatch> call : writes) {
          sqlite.write(call);
          writer.write(call);
        }
        ClickHouseRunReads reads = new ClickHouseRunReads(client, (p, f) -> List.of());
        for (int i = 0; i < runs; i++) {
          String runId = "r" + i;
          RunDetail expected = sqlite.getRun("p", runId).orElse(null);
          RunDetail actual = reads.getRun("p", runId).orElse(null);
          if (expected == null) {
            assertThat(actual).as("seed %d run %s", seed, runId).isNull();
            continue;
          }
          assertThat(actual).as("seed %d run %s", seed, runId).usingRecursiveComparison().isEqualTo(expected);
          for (StepSummary s : expected.steps()) {
            assertThat(reads.getStep("p", runId, s.stepId())).as("seed %d step %s", seed, s.stepId())
                .usingRecursiveComparison().isEqualTo(sqlite.getStep("p", runId, s.stepId()));
          }
        }
        assertThat(rollups(client, "rollup_runs")).as("seed %d run rollups", seed)
            .isEqualTo(sqliteRollups(file, "rollup_runs"));
        assertThat(rollups(client, "rollup_steps")).as("seed %d step rollups", seed)
            .isEqualTo(sqliteRollups(file, "rollup_steps"));
      }
    }
  }

  @Test
  void replayingAWriteInsertsNothing() {
    String db = TestClickHouse.shared().newDatabase();
    ClickHouseClient client = TestClickHouse.shared().client(db);
    for (String sql : ClickHouseSchema.create(db, null)) client.execute(sql);
    ClickHouseTraceWriter writer = new ClickHouseTraceWriter(client, p -> PriceTable.builtIn());
    for (List<WriteBatch> call : RollupScenario.writes(7, "p", Times.nowNanos(), 10)) {
      writer.write(call);
      List<ObjectNode> versions = versions(client);
      writer.write(call);
      assertThat(versions(client)).isEqualTo(versions);
    }
  }

  /** The latest version of every run and step: a write that changes nothing adds none. */
  private static List<ObjectNode> versions(ClickHouseClient client) {
    List<ObjectNode> out = client.select("SELECT run_id, '' AS step_id, version FROM runs FINAL ORDER BY run_id");
    out.addAll(client.select("SELECT run_id, step_id, version FROM steps FINAL ORDER BY run_id, step_id"));
    return out;
  }

  /** Rollup rows as comparable strings, by key; rows that count nothing left out. */
  private static Map<String, String> rollups(ClickHouseClient client, String table) {
    boolean steps = table.equals("rollup_steps");
    String count = steps ? "steps" : "runs";
    String values = steps
        ? "sumMerge(steps) AS n, sumMerge(errors) AS errors, sumMerge(retries) AS retries, sumMerge(timed) AS timed,"
            + " sumMerge(duration_ns) AS duration_ns, sumMerge(input_tokens) AS input_tokens,"
            + " sumMerge(output_tokens) AS output_tokens, sumMerge(cost_usd) AS cost_usd"
        : "sumMerge(runs) AS n, sumMerge(timed) AS timed, sumMerge(duration_ns) AS duration_ns,"
            + " sumMerge(retries) AS retries, sumMerge(input_tokens) AS input_tokens,"
            + " sumMerge(output_tokens) AS output_tokens, sumMerge(cost_usd) AS cost_usd";
    String key = "tier, bucket_ns, agent_id, agent_version, environment, status, failure_type, failure_code"
        + (steps ? ", step_type, model" : "");
    Map<String, String> out = new TreeMap<>();
    long minuteFloor = minuteFloor();
    for (ObjectNode r : client.select("SELECT " + key + ", " + values + ", sumMapMerge(latency) AS latency FROM "
        + table + " GROUP BY " + key)) {
      if (r.get("n").asLong() == 0) continue;
      if (r.get("tier").asLong() == 60 && r.get("bucket_ns").asLong() < minuteFloor) continue;
      StringBuilder k = new StringBuilder();
      for (String c : key.split(", ")) k.append(r.get(c).asText()).append('|');
      List<String> bins = new ArrayList<>();
      for (int i = 0; i < r.get("latency").get(0).size(); i++) {
        bins.add(r.get("latency").get(0).get(i).asLong() + ":" + r.get("latency").get(1).get(i).asLong());
      }
      out.put(k.toString(), r.get("n").asLong() + " " + r.get("timed").asLong() + " "
          + r.get("duration_ns").asLong() + " " + r.get("retries").asLong() + " " + r.get("input_tokens").asLong()
          + " " + r.get("output_tokens").asLong() + " " + Math.round(r.get("cost_usd").asDouble() * 1e9)
          + (steps ? " " + r.get("errors").asLong() : "") + " " + bins);
    }
    return out;
  }

  private static Map<String, String> sqliteRollups(Path file, String table) throws Exception {
    boolean steps = table.equals("rollup_steps");
    String key = "tier, bucket_ns, agent_id, agent_version, environment, status, failure_type, failure_code"
        + (steps ? ", step_type, model" : "");
    Map<String, String> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT " + key + ", * FROM " + table)) {
      while (rs.next()) {
        StringBuilder k = new StringBuilder();
        for (String col : key.split(", ")) k.append(rs.getString(col)).append('|');
        List<String> bins = new ArrayList<>();
        for (long[] b : RunDerivation.decodeBins(rs.getBytes("latency"))) bins.add(b[0] + ":" + b[1]);
        out.put(k.toString(), rs.getLong(steps ? "steps" : "runs") + " " + rs.getLong("timed") + " "
            + rs.getLong("duration_ns") + " " + rs.getLong("retries") + " " + rs.getLong("input_tokens") + " "
            + rs.getLong("output_tokens") + " " + Math.round(rs.getDouble("cost_usd") * 1e9)
            + (steps ? " " + rs.getLong("errors") : "") + " " + bins);
      }
    }
    return out;
  }

  /** The first minute bucket the row stores still write (they skip minutes older than two days). */
  private static long minuteFloor() {
    long now = Times.nowNanos() - 2 * 86_400_000_000_000L;
    return Math.floorDiv(now, 60_000_000_000L) * 60_000_000_000L + 60_000_000_000L;
  }
}
