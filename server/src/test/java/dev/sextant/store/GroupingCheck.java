package dev.sextant.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.cost.ModelPrice;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Failure;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepError;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.model.Times;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A random ingest sequence ({@link RollupScenario}) written twice: as one write, in which most runs
 * are new and the writer takes their steps from the write's records, and one batch per write, in
 * which most writes add to runs already stored and the writer reads their steps back. One model
 * has a price, so steps that send tokens without a cost are priced by the store. Records carry
 * labels, metadata, step errors, parent steps and failures whose cause the store infers besides.
 * Every run must come out the same, and both stores' rollups must answer as their raw rows do.
 */
public final class GroupingCheck {
  private static final String P = "proj";

  private GroupingCheck() {}

  public static void check(Store oneWrite, Store writeByWrite, long seed) {
    long now = Times.nowNanos();
    RollupScenario scenario = RollupScenario.generate(seed, P, now);
    Set<String> retried = new HashSet<>();
    for (List<WriteBatch> call : scenario.writes) {
      for (WriteBatch b : call) {
        for (StepRecord step : b.steps()) if (step.retryOf() != null) retried.add(step.runId() + "/" + step.retryOf());
      }
    }
    List<WriteBatch> all = new ArrayList<>();
    Random variety = new Random(seed ^ 0x5eed);
    for (List<WriteBatch> call : scenario.writes) for (WriteBatch b : call) all.add(varied(b, variety, retried));
    for (Store s : List.of(oneWrite, writeByWrite)) {
      s.migrate();
      s.putProject(new Project(P, P, ContentPolicy.METADATA_ONLY, Instant.EPOCH));
      s.putPrice(P, new ModelPrice("m1", null, LocalDate.parse("2020-01-01"), 1.5, 2.5, 0.5, null));
    }
    // some batches worked out ahead of the write, as the write queue does, the others in it
    for (WriteBatch b : all) if (variety.nextBoolean()) oneWrite.prepare(b);
    oneWrite.write(all);
    for (WriteBatch b : all) {
      if (variety.nextBoolean()) writeByWrite.prepare(b);
      writeByWrite.write(List.of(b));
    }
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
   * The batch with more of what records carry, drawn from {@code r}: labels, metadata, parents,
   * failures whose cause the store infers, and step errors whose fields come in different records.
   */
  private static WriteBatch varied(WriteBatch b, Random r, Set<String> retried) {
    List<RunRecord> runs = new ArrayList<>();
    for (RunRecord run : b.runs()) {
      RunRecord.Builder v = run.toBuilder();
      if (r.nextInt(3) == 0) v.labels(Map.of("team", "t" + r.nextInt(3), "tier", run.runId()));
      if (r.nextInt(3) == 0) v.metadata(JsonNodeFactory.instance.objectNode().put("note", "n" + r.nextInt(5)));
      Failure f = run.failure();
      if (f != null && r.nextBoolean()) v.failure(Failure.inferred(f.type(), f.code(), f.message(), null));
      runs.add(v.build());
    }
    List<StepRecord> steps = new ArrayList<>();
    for (StepRecord step : b.steps()) {
      StepRecord.Builder v = step.toBuilder();
      if (step.status() == StepStatus.ERROR || step.status() == StepStatus.TIMEOUT || r.nextInt(4) == 0) {
        v.error(r.nextBoolean() ? new StepError("tool_error", null, "failed") : new StepError(null, "E" + r.nextInt(3), null));
      }
      if (r.nextInt(3) == 0) v.metadata(JsonNodeFactory.instance.objectNode().put("n", r.nextInt(5)));
      // below a root step, where a failed step can be the cause the store names; not a step that is
      // retried: the store keeps a cause it named even when a later retry recovers it, so the
      // failure would depend on whether the retry came in the same write
      if (!step.stepId().equals("s0") && !retried.contains(step.runId() + "/" + step.stepId()) && r.nextInt(3) != 0) {
        v.parentStepId("s0");
      }
      steps.add(v.build());
    }
    return new WriteBatch(b.projectId(), runs, steps);
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
