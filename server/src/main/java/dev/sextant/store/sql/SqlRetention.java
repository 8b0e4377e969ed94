package dev.sextant.store.sql;

import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import dev.sextant.store.WriteBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletion of expired raw runs and rollup buckets, a small batch per transaction so that ingest
 * waits for at most one batch. Each call deletes the oldest expired rows, so an interrupted pass
 * (a restart, {@code kill -9}) simply goes on where the data says it stopped.
 */
final class SqlRetention {
  private static final String RAW_FROM = "raw_from:";
  private static final String SELECT_RAW_FROM = "SELECT position FROM maintenance WHERE name = ?";

  private final String sharedGate;
  private final String exclusiveGate;
  /** The write path's statement, kept where one connection does every write. */
  private final StatementCache writes;

  SqlRetention(Dialect dialect) {
    this.sharedGate = dialect.retentionGate(false);
    this.exclusiveGate = dialect.retentionGate(true);
    this.writes = new StatementCache(!dialect.lockRunsBeforeWrite());
  }

  /**
   * {@code batches} without the records of runs that retention has deleted: a run with no row all
   * of whose records in this write lie before where raw data ends. Written again, such a run would
   * be counted a second time in the rollups, which still hold it. Runs that have a row, and runs
   * with any record after the cutoff, are kept. Called first in the write's transaction.
   */
  List<WriteBatch> withoutDeletedRuns(Connection c, List<WriteBatch> batches) throws SQLException {
    gate(c, sharedGate);
    Map<String, Set<String>> old = new HashMap<>();
    Map<String, Set<String>> recent = new HashMap<>();
    Map<String, Long> rawFrom = new HashMap<>();
    for (WriteBatch b : batches) {
      if (!rawFrom.containsKey(b.projectId())) {
        try (StatementCache.Prepared use = writes.prepare(c, SELECT_RAW_FROM)) {
          rawFrom.put(b.projectId(), rawFrom(use.statement(), b.projectId()));
        }
      }
      Long from = rawFrom.get(b.projectId());
      if (from == null) continue;
      Set<String> o = old.computeIfAbsent(b.projectId(), k -> new HashSet<>());
      Set<String> r = recent.computeIfAbsent(b.projectId(), k -> new HashSet<>());
      for (RunRecord run : b.runs()) sort(run.runId(), time(run.startNanos(), run.endNanos()), from, o, r);
      for (StepRecord step : b.steps()) sort(step.runId(), time(step.startNanos(), step.endNanos()), from, o, r);
    }
    Map<String, Set<String>> gone = new HashMap<>();
    for (Map.Entry<String, Set<String>> e : old.entrySet()) {
      for (String runId : e.getValue()) {
        if (!recent.get(e.getKey()).contains(runId) && !exists(c, e.getKey(), runId)) {
          gone.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(runId);
        }
      }
    }
    if (gone.isEmpty()) return batches;
    List<WriteBatch> kept = new ArrayList<>(batches.size());
    for (WriteBatch b : batches) {
      Set<String> drop = gone.getOrDefault(b.projectId(), Set.of());
      kept.add(drop.isEmpty() ? b : new WriteBatch(b.projectId(),
          b.runs().stream().filter(r -> !drop.contains(r.runId())).toList(),
          b.steps().stream().filter(s -> !drop.contains(s.runId())).toList()));
    }
    return kept;
  }

  private static Long time(Long start, Long end) {
    return start != null ? start : end;
  }

  private static void sort(String runId, Long time, long from, Set<String> old, Set<String> recent) {
    if (time == null || time >= from) recent.add(runId);
    else old.add(runId);
  }

  private static boolean exists(Connection c, String projectId, String runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM runs WHERE project_id = ? AND run_id = ?")) {
      Sql.setString(ps, 1, projectId);
      Sql.setString(ps, 2, runId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void gate(Connection c, String sql) throws SQLException {
    if (sql == null) return;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.executeQuery().close();
    }
  }

  /** Deletes up to {@code max} of the oldest runs that started before {@code before}. */
  int expireRuns(Connection c, String projectId, long before, int max) throws SQLException {
    gate(c, exclusiveGate);
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT run_id FROM runs WHERE project_id = ? AND start_ns < ?"
        + " ORDER BY start_ns LIMIT ?")) {
      Sql.setString(ps, 1, projectId);
      ps.setLong(2, before);
      ps.setInt(3, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) ids.add(rs.getString(1));
      }
    }
    if (ids.isEmpty()) return 0;
    Long known = rawFrom(c, projectId);
    if (known == null || known < before) {
      try (PreparedStatement ps = c.prepareStatement(known == null
          ? "INSERT INTO maintenance (position, name) VALUES (?, ?)" : "UPDATE maintenance SET position = ? WHERE name = ?")) {
        ps.setString(1, Long.toString(before));
        ps.setString(2, RAW_FROM + projectId);
        ps.executeUpdate();
      }
    }
    for (String table : new String[] {"step_rows", "run_labels", "scores", "runs"}) {
      // steps first: they find their run by its key
      String where = table.equals("step_rows") ? "run_key = " + Sql.RUN_KEY : "project_id = ? AND run_id = ?";
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + where)) {
        for (String id : ids) {
          Sql.setString(ps, 1, projectId);
          Sql.setString(ps, 2, id);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    return ids.size();
  }

  /** Deletes up to {@code max} of the oldest expired buckets of each tier and table. */
  int expireRollups(Connection c, String projectId, long before, long minutesBefore, int max) throws SQLException {
    int deleted = 0;
    for (long tier : Rollup.TIERS) {
      long width = tier * 1_000_000_000L;
      // a bucket goes once it ends by the cutoff; Long.MIN_VALUE keeps every bucket of the tier
      long cutoff = tier == Rollup.TIERS[0] ? minutesBefore : before == Long.MIN_VALUE ? Long.MIN_VALUE
          : before - width + 1;
      if (cutoff == Long.MIN_VALUE) continue;
      for (String table : new String[] {"rollup_runs", "rollup_steps"}) {
        Long last = null;
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT bucket_ns FROM " + table
            + " WHERE project_id = ? AND tier = ? AND bucket_ns < ? ORDER BY bucket_ns LIMIT ?")) {
          Sql.setString(ps, 1, projectId);
          ps.setLong(2, tier);
          ps.setLong(3, cutoff);
          ps.setInt(4, max);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              last = rs.getLong(1);
              n++;
            }
          }
        }
        if (last == null) continue;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
            + " WHERE project_id = ? AND tier = ? AND bucket_ns <= ?")) {
          Sql.setString(ps, 1, projectId);
          ps.setLong(2, tier);
          ps.setLong(3, last);
          ps.executeUpdate();
        }
        deleted += n;
      }
    }
    return deleted;
  }

  Long rawFrom(Connection c, String projectId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT_RAW_FROM)) {
      return rawFrom(ps, projectId);
    }
  }

  private static Long rawFrom(PreparedStatement ps, String projectId) throws SQLException {
    Sql.setString(ps, 1, RAW_FROM + projectId);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Long.valueOf(rs.getString(1)) : null;
    }
  }
}
