package dev.sextant.store.clickhouse;

import static dev.sextant.store.Records.batch;
import static dev.sextant.store.Records.run;
import static dev.sextant.store.Records.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.ContentPolicy;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepStatus;
import dev.sextant.store.Project;
import dev.sextant.store.Records;
import dev.sextant.store.RunQuery;
import dev.sextant.store.RunSummary;
import dev.sextant.store.sql.SqlStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code runs_by_start}, the start-sorted copy of runs that lists and time ranges read, on a
 * database whose runs were written before it existed: {@code migrate} copies every row of runs,
 * cancelled versions included, and the copy follows every write after that.
 */
class ITClickHouseSchema {
  @Test
  void migrate_copiesExistingRunsIntoANewRunsByStart() throws Exception {
    try (ClickHouseStore store = ITClickHouseStore.store(SqlStore.DEFAULT_EXACT_PERCENTILE_LIMIT)) {
      store.migrate();
      store.putProject(new Project("p", "p", ContentPolicy.METADATA_ONLY, Instant.EPOCH));
      for (int i = 0; i < 4; i++) {
        store.write(List.of(batch("p", List.of(run("r" + i, "a", "v1", i * 1000.0, i * 1000.0 + 500,
            RunStatus.SUCCESS)), List.of(step("r" + i, "s" + i, 1, "tool", i * 1000.0, i * 1000.0 + 400,
            StepStatus.OK)))));
      }
      // r4 reports no start: it starts with its first step, and moves when an earlier one arrives,
      // which leaves a cancelled version of it in runs
      store.write(List.of(batch("p", List.of(RunRecord.builder("r4").agentId("a").build()),
          List.of(step("r4", "s4", 1, "tool", 4000, 4400, StepStatus.OK)))));
      store.write(List.of(batch("p", List.of(), List.of(step("r4", "early", 0, "plan", -5000, 100,
          StepStatus.OK)))));
      List<RunSummary> before = store.listRuns("p", RunQuery.all()).runs();
      assertThat(before.get(before.size() - 1).runId()).isEqualTo("r4");

      ClickHouseClient ch = TestClickHouse.shared().client(store.database());
      ch.execute("DROP TABLE runs_by_start_view");
      ch.execute("DROP TABLE runs_by_start");
      store.migrate();

      assertThat(store.listRuns("p", RunQuery.all()).runs()).isEqualTo(before);
      // later writes reach the copy: a new run, and r4 moved once more (its copied version cancelled)
      store.write(List.of(batch("p", List.of(run("r5", "a", "v1", 9000.0, 9500.0, RunStatus.FAILURE)),
          List.of(step("r4", "earlier", 0, "plan", -8000, 100, StepStatus.OK)))));
      List<RunSummary> after = store.listRuns("p", RunQuery.all()).runs();
      assertThat(after).extracting(RunSummary::runId).containsExactly("r5", "r3", "r2", "r1", "r0", "r4");
      assertThat(after.get(5).startTime()).isEqualTo(Instant.ofEpochSecond(0, Records.at(-8000)));
      assertThat(store.stats("p", RunQuery.all()).runs().failure()).isEqualTo(1);
    }
  }
}
