package dev.sextant.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Times;
import dev.sextant.store.Project;
import dev.sextant.store.RollupScenario;
import dev.sextant.store.RunQuery;
import dev.sextant.store.Stats;
import dev.sextant.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database of the schema before rollups migrates in place and answers every query as before. */
class ITSqliteMigration {
  @TempDir Path dir;

  @Test
  void databaseWithoutRollups_isBackfilledOnFirstStart() throws Exception {
    Path file = dir.resolve("old.db");
    long now = Times.nowNanos();
    try (Store store = SqliteStore.builder().file(file).synchronous("NORMAL").build()) {
      store.migrate();
      store.putProject(new Project("default", "default", ContentPolicy.METADATA_ONLY, Instant.EPOCH));
      store.putProject(new Project("other", "other", ContentPolicy.METADATA_ONLY, Instant.EPOCH));
      RollupScenario.write(store, "default", 7, now, 700); // more than one backfill chunk
      RollupScenario.write(store, "other", 8, now, 30);
    }
    // what schema version 4 left behind: the same runs and steps, nothing of versions 5, 6 and 9 (the
    // steps keep the layout version 7 gave them; the backfill reads them as they are)
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE rollup_runs");
      s.execute("DROP TABLE rollup_steps");
      s.execute("DROP TABLE maintenance");
      s.execute("ALTER TABLE projects DROP COLUMN raw_retention_days");
      s.execute("ALTER TABLE projects DROP COLUMN rollup_retention_days");
      s.execute("DROP VIEW steps");
      s.execute("ALTER TABLE step_rows DROP COLUMN cost_computed");
      s.execute("DROP TABLE model_prices");
      s.execute("DROP INDEX IF EXISTS runs_by_cost");
      s.execute("DELETE FROM schema_version WHERE version IN (5, 6, 9)");
    }
    try (Store store = SqliteStore.builder().file(file).exactPercentileLimit(0).build()) {
      store.migrate();
      for (String project : List.of("default", "other")) {
        Stats got = store.stats(project, RunQuery.all());
        Stats want = store.statsFromRows(project, RunQuery.all());
        assertThat(got.runs()).isEqualTo(want.runs());
        assertThat(got.runs().total()).isPositive();
        assertThat(got.byStepType()).extracting(Stats.StepTypeStats::count)
            .isEqualTo(want.byStepType().stream().map(Stats.StepTypeStats::count).toList());
        assertThat(got.failures()).isEqualTo(want.failures());
        assertThat(got.tokens()).isEqualTo(want.tokens());
        assertThat(store.agents(project)).isEqualTo(store.agentsFromRows(project));
        assertThat(store.timeseries(project, RunQuery.all(), 30).points())
            .extracting(p -> p.runs())
            .isEqualTo(store.timeseriesFromRows(project, RunQuery.all(), 30).points().stream()
                .map(p -> p.runs()).toList());
      }
      store.migrate(); // nothing left to backfill: counts stay
      assertThat(store.stats("default", RunQuery.all()).runs())
          .isEqualTo(store.statsFromRows("default", RunQuery.all()).runs());
    }
  }
}
