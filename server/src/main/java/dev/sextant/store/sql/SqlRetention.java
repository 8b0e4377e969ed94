package dev.sextant.store.sql;

import dev.sextant.store.WriteBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
   * {@code batches} without the records of runs that retention has deleted ({@link DeletedRuns}).
   * Called first in the write's transaction.
   */
  List<WriteBatch> withoutDeletedRuns(Connection c, List<WriteBatch> batches) throws SQLException {
    gate(c, sharedGate);
    return DeletedRuns.without(batches, (projectId, none) -> {
      try (StatementCache.Prepared use = writes.prepare(c, SELECT_RAW_FROM)) {
        return rawFrom(use.statement(), projectId);
      }
    }, (projectId, runIds) -> {
      Set<String> found = new HashSet<>();
      for (String runId : runIds) if (exists(c, projectId, runId)) found.add(runId);
      return found;
    });
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
      // runs last: steps and labels find their run by its key
      String where = table.equals("step_rows") || table.equals("run_labels") ? "run_key = " + Sql.RUN_KEY
          : "project_id = ? AND run_id = ?";
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
      long cutoff = Rollup.keptFrom(tier, before, minutesBefore);
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
