package dev.sextant.store.sql;

import static dev.sextant.store.sql.Sql.setString;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs of one project named in fixed-size chunks, {@code project_id = ? AND run_id IN (?, …)}: one
 * statement text whatever the number of runs, so that it stays prepared.
 */
final class RunChunks {
  /** Runs per statement. */
  static final int SIZE = 32;
  /** The condition on a table aliased {@code r}; {@link #bind} fills it. */
  static final String WHERE = "r.project_id = ? AND r.run_id IN (?" + ", ?".repeat(SIZE - 1) + ")";

  private RunChunks() {}

  static List<List<String>> of(List<String> runIds) {
    List<List<String>> chunks = new ArrayList<>();
    for (int from = 0; from < runIds.size(); from += SIZE) {
      chunks.add(runIds.subList(from, Math.min(runIds.size(), from + SIZE)));
    }
    return chunks;
  }

  /** Binds {@link #WHERE} from its first parameter, repeating the last run id where fewer are given. */
  static void bind(PreparedStatement ps, String projectId, List<String> chunk) throws SQLException {
    setString(ps, 1, projectId);
    for (int i = 0; i < SIZE; i++) setString(ps, i + 2, chunk.get(Math.min(i, chunk.size() - 1)));
  }
}
