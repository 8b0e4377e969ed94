package dev.sextant.store;

import static dev.sextant.store.Records.run;
import static dev.sextant.store.Records.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.cost.ModelPrice;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Costs computed from the price table in the store: from a step's merged tokens and model
 * whatever order they arrive in, never over a sent cost, with a project's own prices, into the
 * run totals and the rollups.
 */
public abstract class CostConformance {
  private static final String P = "costs";
  protected Store store;

  protected abstract Store newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    store.migrate();
    for (String p : List.of(P, "other")) store.putProject(new Project(p, p, ContentPolicy.METADATA_ONLY, Instant.EPOCH));
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** A model step with only the given fields (null: not said by this record). */
  private static StepRecord call(String runId, String stepId, String model, Long in, Long out, Long cached, Double cost) {
    StepRecord s = step(runId, stepId, 1, "llm", 10, 510, StepStatus.OK);
    return StepRecord.builder(s.runId(), s.stepId()).seq(s.seq()).type(s.type()).name(s.name())
        .startNanos(s.startNanos()).endNanos(s.endNanos()).status(s.status()).model(model)
        .provider(model == null ? null : "openai").inputTokens(in).outputTokens(out).cacheReadTokens(cached)
        .costUsd(cost).build();
  }

  private void write(String project, List<StepRecord> steps) {
    store.write(List.of(new WriteBatch(project, List.of(run("r1", "agent", "v1", 0, 1000.0, RunStatus.SUCCESS)), steps)));
  }

  private StepSummary stepOf(String project, String stepId) {
    return store.getRun(project, "r1").orElseThrow().steps().stream()
        .filter(s -> s.stepId().equals(stepId)).findFirst().orElseThrow();
  }

  @Test
  void tokensWithoutCost_getTheCostOfTheirModel_markedComputed() {
    // gpt-4o at the records' time (2026): input 2.50, output 10.00, cached input 1.25 per million
    write(P, List.of(call("r1", "s1", "gpt-4o-2024-08-06", 1_000_000L, 100_000L, 200_000L, null)));
    StepSummary s = stepOf(P, "s1");
    assertThat(s.costUsd()).isCloseTo(0.8 * 2.50 + 0.2 * 1.25 + 0.1 * 10.00, within(1e-9));
    assertThat(s.costSource()).isEqualTo("computed");
    assertThat(store.getRun(P, "r1").orElseThrow().run().costUsd()).isCloseTo(3.25, within(1e-9));
    assertThat(store.stats(P, RunQuery.all()).costUsd()).isCloseTo(3.25, within(1e-9));
    assertThat(store.stats(P, RunQuery.all()).byModel()).singleElement()
        .satisfies(m -> assertThat(m.costUsd()).isCloseTo(3.25, within(1e-9)));
  }

  @Test
  void sentCost_isKept_andASentCostLaterReplacesAComputedOne() {
    write(P, List.of(call("r1", "s1", "gpt-4o", 1000L, 1000L, null, 0.5)));
    assertThat(stepOf(P, "s1").costUsd()).isEqualTo(0.5);
    assertThat(stepOf(P, "s1").costSource()).isEqualTo("sent");

    write(P, List.of(call("r1", "s2", "gpt-4o", 1_000_000L, 0L, null, null)));
    assertThat(stepOf(P, "s2").costSource()).isEqualTo("computed");
    write(P, List.of(call("r1", "s2", null, null, null, null, 7.0)));
    assertThat(stepOf(P, "s2").costUsd()).isEqualTo(7.0);
    assertThat(stepOf(P, "s2").costSource()).isEqualTo("sent");
    // later tokens do not touch a sent cost
    write(P, List.of(call("r1", "s2", null, 2_000_000L, null, null, null)));
    assertThat(stepOf(P, "s2").costUsd()).isEqualTo(7.0);
    assertThat(store.stats(P, RunQuery.all()).costUsd()).isCloseTo(7.5, within(1e-9));
  }

  @Test
  void modelAndTokensInSeparateRecords_inEitherOrder_areComputedOnce() {
    write(P, List.of(call("r1", "a", "claude-3-5-haiku-20241022", null, null, null, null)));
    assertThat(stepOf(P, "a").costUsd()).isNull();
    write(P, List.of(call("r1", "a", null, 1_000_000L, 1_000_000L, null, null)));
    write(P, List.of(call("r1", "b", null, 1_000_000L, 1_000_000L, null, null)));
    assertThat(stepOf(P, "b").costUsd()).isNull();
    write(P, List.of(call("r1", "b", "claude-3-5-haiku-20241022", null, null, null, null)));
    // claude-3-5-haiku: 0.80 in, 4.00 out
    assertThat(stepOf(P, "a").costUsd()).isCloseTo(4.8, within(1e-9));
    assertThat(stepOf(P, "b").costUsd()).isCloseTo(4.8, within(1e-9));
    // more output tokens later: the computed cost follows
    write(P, List.of(call("r1", "b", null, null, 2_000_000L, null, null)));
    assertThat(stepOf(P, "b").costUsd()).isCloseTo(8.8, within(1e-9));
    assertThat(store.stats(P, RunQuery.all()).costUsd()).isCloseTo(13.6, within(1e-9));
    assertThat(store.stats(P, RunQuery.all()).costUsd())
        .isCloseTo(store.statsFromRows(P, RunQuery.all()).costUsd(), within(1e-9));
  }

  @Test
  void projectPrices_overrideTheTable_forThatProjectOnly_andUnknownModelsStayUnpriced() {
    store.putPrice(P, new ModelPrice("gpt-4o", "openai", LocalDate.parse("2026-01-01"), 1.0, 2.0, null, null));
    store.putPrice(P, new ModelPrice("acme-llm-7b", null, LocalDate.parse("2020-01-01"), 0.5, 0.5, null, null));
    assertThat(store.priceOverrides(P)).extracting(ModelPrice::model).containsExactly("acme-llm-7b", "gpt-4o");
    assertThat(store.priceOverrides("other")).isEmpty();
    write(P, List.of(call("r1", "s1", "gpt-4o", 1_000_000L, 1_000_000L, null, null),
        call("r1", "s2", "acme-llm-7b", 2_000_000L, 0L, null, null),
        call("r1", "s3", "mystery-model", 5L, 5L, null, null)));
    write("other", List.of(call("r1", "s1", "gpt-4o", 1_000_000L, 1_000_000L, null, null)));
    assertThat(stepOf(P, "s1").costUsd()).isCloseTo(3.0, within(1e-9));
    assertThat(stepOf(P, "s2").costUsd()).isCloseTo(1.0, within(1e-9));
    assertThat(stepOf(P, "s3").costUsd()).isNull();
    assertThat(stepOf("other", "s1").costUsd()).isCloseTo(12.5, within(1e-9));
    assertThat(store.prices(P).prices("mystery-model")).isFalse();
    assertThat(store.modelUsage(P)).extracting(Stats.ModelCost::model)
        .containsExactlyInAnyOrder("gpt-4o", "acme-llm-7b", "mystery-model");

    assertThat(store.deletePrice(P, "gpt-4o", LocalDate.parse("2026-01-01"))).isTrue();
    assertThat(store.deletePrice(P, "gpt-4o", LocalDate.parse("2026-01-01"))).isFalse();
    write(P, List.of(call("r1", "s4", "gpt-4o", 1_000_000L, 1_000_000L, null, null)));
    assertThat(stepOf(P, "s4").costUsd()).isCloseTo(12.5, within(1e-9));
  }

  @Test
  void runsSortByCost_mostExpensiveFirst_pagedByCursor() {
    for (int i = 0; i < 5; i++) {
      store.write(List.of(new WriteBatch(P, List.of(run("c" + i, "agent", "v1", i * 10, i * 10 + 5.0, RunStatus.SUCCESS)),
          List.of(call("c" + i, "s", "gpt-4o-mini", (long) ((i * 7) % 5) * 1_000_000L, 0L, null, null)))));
    }
    RunQuery q = RunQuery.all().withSort(RunQuery.Sort.COST);
    RunPage first = store.listRuns(P, q.withPage(2, null));
    RunPage second = store.listRuns(P, q.withPage(2, first.nextCursor()));
    RunPage third = store.listRuns(P, q.withPage(2, second.nextCursor()));
    List<String> ids = new java.util.ArrayList<>();
    for (RunPage page : List.of(first, second, third)) page.runs().forEach(r -> ids.add(r.runId()));
    // (i * 7) % 5 million input tokens: c3 → 1, c1 → 2, c4 → 3, c2 → 4, c0 → 0
    assertThat(ids).containsExactly("c2", "c4", "c1", "c3", "c0");
  }
}
