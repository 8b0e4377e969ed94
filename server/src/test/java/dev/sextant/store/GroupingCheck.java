package dev.sextant.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.cost.ModelPrice;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Times;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A random ingest sequence ({@link RollupScenario}) written twice: as one write, in which most runs
 * are new and the writer takes their steps from the write's records, and one batch per write, in
 * which most writes add to runs already stored and the writer reads their steps back. One model
 * has a price, so steps that send tokens without a cost are priced by the store. Every run must
 * come out the same, and both stores' rollups must answer as their raw rows do.
 */
public final class GroupingCheck {
  private static final String P = "proj";

  private GroupingCheck() {}

  public static void check(Store oneWrite, Store writeByWrite, long seed) {
    long now = Times.nowNanos();
    RollupScenario scenario = RollupScenario.generate(seed, P, now);
    List<WriteBatch> all = new ArrayList<>();
    for (List<WriteBatch> call : scenario.writes) all.addAll(call);
    for (Store s : List.of(oneWrite, writeByWrite)) {
      s.migrate();
      s.putProject(new Project(P, P, ContentPolicy.METADATA_ONLY, Instant.EPOCH));
      s.putPrice(P, new ModelPrice("m1", null, LocalDate.parse("2020-01-01"), 1.5, 2.5, 0.5, null));
    }
    oneWrite.write(all);
    for (WriteBatch b : all) writeByWrite.write(List.of(b));
    for (int i = 0; i < 8; i++) {
      String runId = "r" + i;
      assertThat(comparable(oneWrite.getRun(P, runId))).as(runId).isEqualTo(comparable(writeByWrite.getRun(P, runId)));
    }
    Random random = new Random(seed);
    for (Store s : List.of(oneWrite, writeByWrite)) {
      RollupCheck check = new RollupCheck(s, P);
      for (RunQuery q : RollupCheck.queries(scenario, random)) check.stats(q);
      check.agents();
    }
  }

  /**
   * The run without the start that only a run with no start, no end and no steps has: the moment
   * the store first saw it, which differs between the two stores.
   */
  private static Optional<RunDetail> comparable(Optional<RunDetail> detail) {
    return detail.map(d -> {
      RunSummary r = d.run();
      if (r.stepCount() > 0 || r.endTime() != null) return d;
      RunSummary unplaced = new RunSummary(r.runId(), r.agentId(), r.agentVersion(), r.environment(), r.name(),
          r.sessionId(), r.labels(), r.status(), null, null, r.durationMs(), r.stepCount(), r.errorCount(),
          r.retryCount(), r.inputTokens(), r.outputTokens(), r.costUsd(), r.failure());
      return new RunDetail(unplaced, d.metadata(), d.input(), d.output(), d.failure(), d.steps());
    });
  }
}
