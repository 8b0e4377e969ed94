package dev.sextant.metrics;

import static dev.sextant.store.Records.at;
import static dev.sextant.store.Records.batch;
import static dev.sextant.store.Records.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.ContentPolicy;
import dev.sextant.model.RunStatus;
import dev.sextant.store.Project;
import dev.sextant.store.Store;
import dev.sextant.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counters stay monotonic when rollup retention deletes the buckets they were summed from. */
class ITAgentMetricsRetention {
  private static final double DAY_MS = 86_400_000.0;
  @TempDir Path dir;

  @Test
  void rollupRetention_doesNotMakeACounterFall() {
    try (Store store = SqliteStore.builder().file(dir.resolve("sextant.db")).build()) {
      store.migrate();
      store.putProject(new Project("p", "p", ContentPolicy.METADATA_ONLY, Instant.now()));
      store.write(List.of(batch("p", List.of(run("old-1", "bot", "v1", 0, 500.0, RunStatus.SUCCESS),
          run("old-2", "bot", "v1", 10, 600.0, RunStatus.SUCCESS),
          run("new", "bot", "v1", 20 * DAY_MS, 20 * DAY_MS + 700, RunStatus.SUCCESS)), List.of())));
      AgentMetrics metrics = new AgentMetrics(store, 500, Duration.ZERO);
      String series = "sextant_agent_runs_total{project=\"p\",agent=\"bot\",version=\"v1\",environment=\"production\","
          + "status=\"success\"}";
      String count = "sextant_agent_run_duration_seconds_count{project=\"p\",agent=\"bot\",version=\"v1\","
          + "environment=\"production\",status=\"success\"}";
      assertThat(ITAgentMetrics.value(metrics.render("p"), series)).isEqualTo(3);

      assertThat(store.expireRollups("p", at(10 * DAY_MS), at(10 * DAY_MS), 100)).isPositive();
      assertThat(store.agentTotals("p", new double[] {1000}, new double[] {1000}).runs().get(0).runs()).isEqualTo(1);
      String after = metrics.render("p");
      assertThat(ITAgentMetrics.value(after, series)).isEqualTo(3);
      assertThat(ITAgentMetrics.value(after, count)).isEqualTo(3);

      store.write(List.of(batch("p", List.of(run("newer", "bot", "v1", 21 * DAY_MS, 21 * DAY_MS + 100,
          RunStatus.SUCCESS)), List.of())));
      String later = metrics.render("p");
      assertThat(ITAgentMetrics.value(later, series)).isEqualTo(4);
      assertThat(ITAgentMetrics.value(later, count)).isEqualTo(4);
      // a new process starts from the stored totals: a reset, as Prometheus expects of a restart
      assertThat(ITAgentMetrics.value(new AgentMetrics(store, 500, Duration.ZERO).render("p"), series)).isEqualTo(2);
    }
  }
}
