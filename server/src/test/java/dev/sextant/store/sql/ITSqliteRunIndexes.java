package dev.sextant.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.store.RunQuery;
import dev.sextant.store.Store;
import dev.sextant.store.sqlite.SqliteDialectAccess;
import dev.sextant.store.sqlite.SqliteStore;
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
 * one (SQLite refuses {@code INDEXED BY} an index the query cannot use). The statements are the
 * ones {@link SqlReader} builds for the run list.
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
    for (RunQuery.Sort sort : List.of(RunQuery.Sort.DURATION, RunQuery.Sort.COST)) {
      List<String> plan = plan(runPage(RunQuery.all(), sort, true));
      assertThat(plan).as("%s", sort).anyMatch(step -> step.contains("COVERING INDEX runs_by_time (project_id=?)"));
      assertThat(plan).as("%s", sort).anyMatch(step -> step.contains("INTEGER PRIMARY KEY (rowid=?)"));
      // filtered by agent or status, the sort reads that filter's index alone
      assertThat(plan(runPage(filter("agent"), sort, false))).as("%s", sort)
          .anyMatch(step -> step.contains("COVERING INDEX runs_by_agent (project_id=? AND agent_id=?)"));
      assertThat(plan(runPage(filter("status"), sort, false))).as("%s", sort)
          .anyMatch(step -> step.contains("COVERING INDEX runs_by_status (project_id=? AND status=?)"));
    }
  }

  @Test
  void startTimeSort_readsRunsByTime_newestFirst_withoutSorting() throws SQLException {
    // the index is in ascending start order (schema version 16); the newest page reads it backwards
    for (boolean afterCursor : List.of(false, true)) {
      List<String> plan = plan(runPage(RunQuery.all(), RunQuery.Sort.START_TIME, afterCursor));
      assertThat(plan).anyMatch(step -> step.contains("USING INDEX runs_by_time (project_id=?"));
      assertThat(plan).noneMatch(step -> step.contains("TEMP B-TREE"));
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
    assertThat(plan(indexedBy("runs_by_failure", runPage(filter("failure"), RunQuery.Sort.START_TIME, false))))
        .anyMatch(step -> step.contains("runs_by_failure (project_id=? AND failure_type=? AND failure_code=?)"));
    assertThat(plan(indexedBy("runs_by_session", runPage(filter("session"), RunQuery.Sort.START_TIME, false))))
        .anyMatch(step -> step.contains("runs_by_session (project_id=? AND session_id=?)"));
    // the failure breakdown of /v1/stats reads the partial index alone
    assertThat(plan("SELECT r.failure_type, r.failure_code, count(*) FROM runs r WHERE r.project_id = ?"
        + " AND r.failure_type IS NOT NULL GROUP BY r.failure_type, r.failure_code"))
        .anyMatch(step -> step.contains("COVERING INDEX runs_by_failure"));
  }

  /** The run list's statement for the query, sorted by {@code sort}, after a cursor or not. */
  private static String runPage(RunQuery q, RunQuery.Sort sort, boolean afterCursor) {
    return SqlReader.runPageSql(new RunFilter("p", q, SqliteDialectAccess.dialect()).where.toString(), sort,
        afterCursor);
  }

  /** A query filtered by one field. */
  private static RunQuery filter(String field) {
    return new RunQuery(field.equals("agent") ? "a" : null, null, null, field.equals("status") ? "success" : null,
        field.equals("failure") ? "tool" : null, field.equals("failure") ? "timeout" : null,
        field.equals("session") ? "s" : null, List.of(), null, null, null, null, null, RunQuery.Sort.START_TIME, 50,
        null);
  }

  /** The statement with SQLite told to read the runs through {@code index}: refused when it cannot. */
  private static String indexedBy(String index, String sql) {
    assertThat(sql).containsOnlyOnce("FROM runs r WHERE");
    return sql.replace("FROM runs r WHERE", "FROM runs r INDEXED BY " + index + " WHERE");
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
