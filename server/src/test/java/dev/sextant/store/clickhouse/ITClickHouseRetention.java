package dev.sextant.store.clickhouse;

import static dev.sextant.store.Records.at;
import static dev.sextant.store.Records.batch;
import static dev.sextant.store.Records.llm;
import static dev.sextant.store.Records.run;
import static dev.sextant.store.Records.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.ContentPolicy;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepStatus;
import dev.sextant.store.Project;
import dev.sextant.store.RunQuery;
import dev.sextant.store.sql.SqlStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retention's space comes back on ClickHouse by dropping partitions: once every run of a month is
 * deleted, the month's partitions of runs (both tables) and steps go, while the rollups still count
 * the runs.
 */
class ITClickHouseRetention {
  private static final long DAY_MS = 86_400_000L;

  @Test
  void reclaimSpace_dropsMonthsWhoseRunsAreAllDeleted() throws Exception {
    try (ClickHouseStore store = ITClickHouseStore.store(SqlStore.DEFAULT_EXACT_PERCENTILE_LIMIT)) {
      store.migrate();
      store.putProject(new Project("p", "p", ContentPolicy.METADATA_ONLY, Instant.EPOCH));
      // Records.T0 is 2026-11-22: runs 60 days before it (September) and on it (November)
      for (int i = 0; i < 10; i++) {
        double start = (i < 6 ? -60 * DAY_MS : 0) + i * 60_000.0;
        store.write(List.of(batch("p", List.of(run("r" + i, "a", "v1", start, start + 100, RunStatus.SUCCESS)),
            List.of(llm(step("r" + i, "s" + i, 1, "llm", start, start + 50, StepStatus.OK), "m", 10, 2, 0.001)))));
      }
      ClickHouseClient ch = TestClickHouse.shared().client(store.database());
      assertThat(partitions(ch, "runs")).containsExactly("('p',202609)", "('p',202611)");

      long cutoff = at(-30 * DAY_MS);
      while (store.expireRuns("p", cutoff, 4) > 0) {
        // until the six September runs are gone
      }
      store.reclaimSpace();

      assertThat(partitions(ch, "runs")).containsExactly("('p',202611)");
      assertThat(partitions(ch, "runs_by_start")).containsExactly("('p',202611)");
      assertThat(partitions(ch, "steps")).containsExactly("('p',202611)");
      assertThat(store.listRuns("p", RunQuery.all()).runs()).hasSize(4);
      assertThat(store.getRun("p", "r0")).isEmpty();
      assertThat(store.getRun("p", "r7").orElseThrow().steps()).hasSize(1);
      assertThat(store.stats("p", RunQuery.all()).runs().total()).as("the rollups keep counting").isEqualTo(10);
      store.reclaimSpace(); // nothing more to drop
      assertThat(partitions(ch, "runs")).containsExactly("('p',202611)");
    }
  }

  private static List<String> partitions(ClickHouseClient ch, String table) {
    return ch.select("SELECT DISTINCT partition FROM system.parts WHERE active AND database = currentDatabase()"
        + " AND table = '" + table + "' ORDER BY partition").stream().map(r -> r.get("partition").asText()).toList();
  }
}
