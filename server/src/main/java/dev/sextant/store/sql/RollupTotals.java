package dev.sextant.store.sql;

import dev.sextant.store.AgentTotals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project's rollups summed over all time for {@code /metrics}: the day tier holds every run (the
 * minute tier only two days), so its rows, merged by dimensions, are the all-time totals. The cost
 * is one indexed range read of days × dimension combinations, independent of the raw row count.
 */
final class RollupTotals {
  private static final long DAY = Rollup.TIERS[Rollup.TIERS.length - 1];

  private static final String RUNS = "SELECT agent_id, agent_version, environment, status, failure_type, failure_code,"
      + " runs, timed, duration_ns, latency FROM rollup_runs WHERE project_id = ? AND tier = ?";

  private static final String STEPS = "SELECT agent_id, agent_version, environment, step_type, model, steps, errors,"
      + " retries, timed, duration_ns, input_tokens, output_tokens, cost_usd, latency FROM rollup_steps"
      + " WHERE project_id = ? AND tier = ?";

  AgentTotals read(Connection c, String projectId, double[] runBoundsMs, double[] stepBoundsMs) throws SQLException {
    Map<List<String>, Acc> runs = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(RUNS)) {
      ps.setString(1, projectId);
      ps.setLong(2, DAY);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> key = List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6));
          Acc a = runs.computeIfAbsent(key, k -> new Acc(runBoundsMs.length + 1));
          a.n[0] += rs.getLong(7);
          a.n[1] += rs.getLong(8);
          a.n[2] = Rollup.total(a.n[2], rs.getLong(9));
          LatencyBins.decode(rs.getBytes(10)).addBucketCounts(runBoundsMs, a.buckets);
        }
      }
    }
    Map<List<String>, Acc> steps = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(STEPS)) {
      ps.setString(1, projectId);
      ps.setLong(2, DAY);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> key = List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5));
          Acc a = steps.computeIfAbsent(key, k -> new Acc(stepBoundsMs.length + 1));
          for (int i = 0; i < 4; i++) a.n[i] += rs.getLong(6 + i);
          for (int i = 4; i < 7; i++) a.n[i] = Rollup.total(a.n[i], rs.getLong(6 + i));
          a.cost += rs.getDouble(13);
          LatencyBins.decode(rs.getBytes(14)).addBucketCounts(stepBoundsMs, a.buckets);
        }
      }
    }
    List<AgentTotals.Runs> outRuns = new ArrayList<>();
    runs.forEach((k, a) -> outRuns.add(new AgentTotals.Runs(Rollup.undim(k.get(0)), Rollup.undim(k.get(1)),
        Rollup.undim(k.get(2)), k.get(3), Rollup.undim(k.get(4)), Rollup.undim(k.get(5)), a.n[0], a.n[1], a.n[2],
        a.buckets)));
    List<AgentTotals.Steps> outSteps = new ArrayList<>();
    steps.forEach((k, a) -> outSteps.add(new AgentTotals.Steps(Rollup.undim(k.get(0)), Rollup.undim(k.get(1)),
        Rollup.undim(k.get(2)), k.get(3), Rollup.undim(k.get(4)), a.n[0], a.n[1], a.n[2], a.n[3], a.n[4], a.n[5],
        a.n[6], a.cost, a.buckets)));
    return new AgentTotals(outRuns, outSteps);
  }

  /** Sums of one dimension combination. */
  private static final class Acc {
    final long[] n = new long[7];
    final long[] buckets;
    double cost;

    Acc(int buckets) {
      this.buckets = new long[buckets];
    }
  }
}
