package dev.sextant.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run indexes of a migrated SQLite file serve what they are for: the duration and cost sorts
 * of the run list from an index in start order alone (by time, or the filter's by agent or
 * status), and filters by failure type and session through indexes that hold only the runs with
 * one (SQLite refuses {@code INDEXED BY} an index the query cannot use).
 */
class ITSqliteRunIndexes {
  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void migrate() throws Exception {
    file = dir.resolve("sextant.db");
    try (Store store = SqliteStore.builder().file(file).build()) {
      store.migrate();
    }
  }

  @Test
  void valueSorts_readAnIndexInStartOrderAlone_thenFetchThePage() throws SQLException {
    for (String key : List.of("COALESCE(r.duration_ms, -1)", "COALESCE(r.cost_usd, -1)")) {
      // the shape SqlReader.listRuns builds for sort=duration and sort=cost, with a cursor
      String order = " ORDER BY " + key + " DESC, r.run_id DESC";
      List<String> plan = plan("SELECT r.run_id, r.name FROM runs r WHERE r.run_key IN ("
          + "SELECT r.run_key FROM runs r WHERE r.project_id = ? AND (" + key + " < ? OR (" + key
          + " = ? AND r.run_id < ?))" + order + " LIMIT ?)" + order);
      assertThat(plan).anyMatch(step -> step.contains("COVERING INDEX runs_by_time (project_id=?)"));
      assertThat(plan).anyMatch(step -> step.contains("INTEGER PRIMARY KEY (rowid=?)"));
      // filtered by agent or status, the sort reads that filter's index alone
      assertThat(plan("SELECT r.run_key FROM runs r WHERE r.project_id = ? AND r.agent_id = ?" + order + " LIMIT ?"))
          .anyMatch(step -> step.contains("COVERING INDEX runs_by_agent (project_id=? AND agent_id=?)"));
      assertThat(plan("SELECT r.run_key FROM runs r WHERE r.project_id = ? AND r.status = ?" + order + " LIMIT ?"))
          .anyMatch(step -> step.contains("COVERING INDEX runs_by_status (project_id=? AND status=?)"));
    }
  }

  @Test
  void noIndexTakesNewRunsInValueOrder() throws SQLException {
    // run ids are random: an index ordered by value (ties by run id) would take each new run on a
    // page of its own; only the runs' own key (project, run id) may do so
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet rs = c.createStatement().executeQuery("PRAGMA index_list(runs)")) {
      List<String> names = new ArrayList<>();
      while (rs.next()) names.add(rs.getString("name"));
      assertThat(names).doesNotContain("runs_by_duration", "runs_by_cost").contains("runs_by_time");
    }
  }

  @Test
  void failureAndSessionFilters_canUseTheirPartialIndexes() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet rs = c.createStatement().executeQuery("PRAGMA index_list(runs)")) {
      List<String> partial = new ArrayList<>();
      while (rs.next()) if (rs.getInt("partial") == 1) partial.add(rs.getString("name"));
      assertThat(partial).containsExactlyInAnyOrder("runs_by_failure", "runs_by_session");
    }
    assertThat(plan("SELECT r.run_id FROM runs r INDEXED BY runs_by_failure WHERE r.project_id = ?"
        + " AND r.failure_type = ? AND r.failure_code = ? ORDER BY r.start_ns DESC, r.run_id DESC LIMIT ?"))
        .anyMatch(step -> step.contains("runs_by_failure (project_id=? AND failure_type=? AND failure_code=?)"));
    assertThat(plan("SELECT r.run_id FROM runs r INDEXED BY runs_by_session WHERE r.project_id = ?"
        + " AND r.session_id = ? ORDER BY r.start_ns DESC, r.run_id DESC LIMIT ?"))
        .anyMatch(step -> step.contains("runs_by_session (project_id=? AND session_id=?)"));
    // the failure breakdown of /v1/stats reads the partial index alone
    assertThat(plan("SELECT r.failure_type, r.failure_code, count(*) FROM runs r WHERE r.project_id = ?"
        + " AND r.failure_type IS NOT NULL GROUP BY r.failure_type, r.failure_code"))
        .anyMatch(step -> step.contains("COVERING INDEX runs_by_failure"));
  }

  private List<String> plan(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
      List<String> steps = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) steps.add(rs.getString(4));
      }
      return steps;
    }
  }
}
