package dev.sextant.store.sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills the rollups of a database that held runs before rollups existed: the migration that adds
 * them leaves a {@code rollup_backfill} row in {@code maintenance}, and this adds the runs in key
 * order, a chunk per transaction, recording the last run done in the same transaction. A crash
 * loses nothing and counts nothing twice; the next start goes on from the recorded run.
 */
final class RollupBackfill {
  private static final int CHUNK = 500;
  private static final String NAME = "rollup_backfill";

  private final Connections connections;
  private final SqlWriter writer;

  RollupBackfill(Connections connections, SqlWriter writer) {
    this.connections = connections;
    this.writer = writer;
  }

  /** Runs the backfill to its end; does nothing when none is pending. */
  void run() {
    while (Boolean.TRUE.equals(connections.inTransaction(c -> {
      String position;
      try (PreparedStatement ps = c.prepareStatement("SELECT position FROM maintenance WHERE name = ?")) {
        ps.setString(1, NAME);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) return false;
          position = rs.getString(1);
        }
      }
      String[] at = position == null || position.isEmpty() ? new String[] {"", ""} : position.split("\n", 2);
      List<String[]> chunk = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT project_id, run_id FROM runs"
          + " WHERE project_id > ? OR (project_id = ? AND run_id > ?) ORDER BY project_id, run_id LIMIT ?")) {
        ps.setString(1, at[0]);
        ps.setString(2, at[0]);
        ps.setString(3, at[1]);
        ps.setInt(4, CHUNK);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) chunk.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      if (chunk.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM maintenance WHERE name = ?")) {
          ps.setString(1, NAME);
          ps.executeUpdate();
        }
        return false;
      }
      int from = 0;
      for (int i = 1; i <= chunk.size(); i++) {
        if (i == chunk.size() || !chunk.get(i)[0].equals(chunk.get(from)[0])) {
          List<String> ids = new ArrayList<>();
          for (String[] r : chunk.subList(from, i)) ids.add(r[1]);
          writer.addToRollups(c, chunk.get(from)[0], ids);
          from = i;
        }
      }
      String[] last = chunk.get(chunk.size() - 1);
      try (PreparedStatement ps = c.prepareStatement("UPDATE maintenance SET position = ? WHERE name = ?")) {
        ps.setString(1, last[0] + "\n" + last[1]);
        ps.setString(2, NAME);
        ps.executeUpdate();
      }
      return true;
    }))) {
      // next chunk
    }
  }
}
