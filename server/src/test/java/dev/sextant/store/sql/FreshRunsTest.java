package dev.sextant.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.cost.ModelPrice;
import dev.sextant.cost.PriceTable;
import dev.sextant.model.Failure;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepError;
import dev.sextant.model.StepRecord;
import dev.sextant.store.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * A fresh run's records merge as the upserts merge them, and its steps are ordered as the stores'
 * binary collation orders step ids: by UTF-8 bytes.
 */
class FreshRunsTest {
  private static final WriteBatch.RunJson NO_RUN_JSON = new WriteBatch.RunJson(null, null, null, null);
  private static final WriteBatch.StepJson NO_STEP_JSON = new WriteBatch.StepJson(null, null, null, null, null, null);

  @Example
  void run_aLateRunningKeepsTheFinalStatus_andTheLastFailureSetsTheInferenceMark() {
    FreshRuns.Run run = new FreshRuns.Run(new RunKey("p", "r"));
    run.add(RunRecord.builder("r").status(RunStatus.RUNNING).labels(Map.of("a", "1")).build(), NO_RUN_JSON);
    run.add(RunRecord.builder("r").status(RunStatus.FAILURE).failure(new Failure("tool", "timeout", "slow", null))
        .build(), NO_RUN_JSON);
    run.add(RunRecord.builder("r").status(RunStatus.RUNNING).agentId("a").build(), NO_RUN_JSON);
    assertThat(run.reportedStatus).isEqualTo(RunStatus.FAILURE);
    assertThat(run.failureInferred).isEqualTo(SqlWriter.STEP_INFERRED);
    assertThat(List.of(run.failureType, run.failureCode, run.failureMessage)).containsExactly("tool", "timeout", "slow");
    assertThat(run.labels).isEqualTo(Map.of("a", "1"));
    assertThat(run.agentId).isEqualTo("a");
  }

  @Example
  void step_fieldsMergeOneByOne_metadataWhole_andASentCostIsNotPriced() {
    FreshRuns.Run run = new FreshRuns.Run(new RunKey("p", "r"));
    run.add(StepRecord.builder("r", "s").model("m").inputTokens(1000L).outputTokens(10L)
        .error(new StepError("tool_error", null, "failed")).build(), NO_STEP_JSON);
    run.add(StepRecord.builder("r", "s").error(new StepError(null, "E1", null)).build(),
        new WriteBatch.StepJson("{\"k\":1}", "{\"otel.scope.name\":\"s\"}", null, null, null, null));
    FreshRuns.Step step = run.sortedSteps().get(0);
    assertThat(step.record().error()).isEqualTo(new StepError("tool_error", "E1", "failed"));
    assertThat(step.record().model()).isEqualTo("m");
    assertThat(step.json().fullMetadata()).isEqualTo("{\"k\":1,\"otel.scope.name\":\"s\"}");
    PriceTable table = PriceTable.empty().with(List.of(new ModelPrice("m", null, LocalDate.parse("2020-01-01"), 2.0, 4.0,
        null, null)));
    step.price(table);
    assertThat(step.computedCost()).isNotNull().isEqualTo(step.cost());

    run.add(StepRecord.builder("r", "s").costUsd(0.5).build(), NO_STEP_JSON);
    run.add(StepRecord.builder("r", "s").build(), new WriteBatch.StepJson("{\"j\":2}", null, null, null, null, null));
    step = run.sortedSteps().get(0);
    // metadata is replaced whole, its scope part with it
    assertThat(step.json().fullMetadata()).isEqualTo("{\"j\":2}");
    step.price(table);
    assertThat(step.computedCost()).isNull();
    assertThat(step.cost()).isEqualTo(0.5);
  }

  @Example
  void prepared_aRunOfOneBatchIsTakenAsPrepared_aRunOfTwoIsMergedFromBoth_andANewTableRepricesIt() {
    PriceTable table = PriceTable.empty().with(List.of(new ModelPrice("m", null, LocalDate.parse("2020-01-01"), 2.0, 4.0,
        null, null)));
    WriteBatch first = new WriteBatch("p", List.of(RunRecord.builder("a").agentId("x").build()), List.of(
        StepRecord.builder("a", "s1").model("m").inputTokens(1000L).build(),
        StepRecord.builder("b", "s1").model("m").inputTokens(1000L).build()));
    WriteBatch second = new WriteBatch("p", List.of(), List.of(StepRecord.builder("b", "s2").costUsd(1.0).build()));
    first.prepared(FreshRuns.prepare(first, table));
    FreshRuns prepared = (FreshRuns) first.prepared();
    FreshRuns.Run preparedA = prepared.run("p", "a");
    assertThat(preparedA.totals().costUsd()).isEqualTo(0.002);

    FreshRuns fresh = new FreshRuns(java.util.Set.of(new RunKey("p", "a"), new RunKey("p", "b")), List.of(first, second));
    assertThat(fresh.run("p", "a")).isSameAs(preparedA);
    FreshRuns.Run b = fresh.run("p", "b");
    assertThat(b).isNotSameAs(prepared.run("p", "b"));
    assertThat(b.sortedSteps()).extracting(s -> s.record().stepId()).containsExactly("s1", "s2");

    fresh.price("p", table);
    assertThat(b.totals().costUsd()).isEqualTo(1.002);
    // another table: priced and totalled again
    PriceTable dearer = PriceTable.empty().with(List.of(new ModelPrice("m", null, LocalDate.parse("2020-01-01"), 4.0,
        4.0, null, null)));
    fresh.price("p", dearer);
    assertThat(fresh.run("p", "a").totals().costUsd()).isEqualTo(0.004);
  }

  @Property
  void sortUtf8_ordersByUtf8Bytes(@ForAll("ids") List<String> ids) {
    List<String> sorted = new ArrayList<>(ids);
    FreshRuns.sortUtf8(sorted);
    List<String> byBytes = new ArrayList<>(ids);
    byBytes.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
    assertThat(sorted).containsExactlyElementsOf(byBytes);
  }

  /** Ids of whole code points, often sharing a prefix, some above U+FFFF and some in U+E000..U+FFFF. */
  @Provide
  Arbitrary<List<String>> ids() {
    Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.integers().between('a', 'e')),
        Tuple.of(2, Arbitraries.integers().between(0xE000, 0xFFFD)),
        Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)),
        Tuple.of(1, Arbitraries.integers().between(0x80, 0xD7FF)));
    Arbitrary<String> id = codePoint.list().ofMaxSize(6)
        .map(cps -> "run-1-" + new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    return id.list().ofMaxSize(20);
  }
}
