package dev.sextant.store;

import static dev.sextant.store.Records.at;
import static dev.sextant.store.Records.batch;
import static dev.sextant.store.Records.failedRun;
import static dev.sextant.store.Records.llm;
import static dev.sextant.store.Records.run;
import static dev.sextant.store.Records.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.model.ContentPolicy;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Store#agentTotals}: all-time sums of the rollups by dimensions, with duration buckets. */
public abstract class AgentTotalsConformance {
  private static final double DAY_MS = 86_400_000.0;
  private static final double[] BOUNDS_MS = {100, 1000, 10_000};
  protected Store store;

  protected abstract Store newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    store.migrate();
    for (String p : List.of("a", "b")) store.putProject(new Project(p, p, ContentPolicy.METADATA_ONLY, Instant.now()));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private AgentTotals totals(String project) {
    return store.agentTotals(project, BOUNDS_MS, BOUNDS_MS);
  }

  private static AgentTotals.Runs runsOf(AgentTotals t, String status) {
    return t.runs().stream().filter(r -> r.status().equals(status)).findFirst().orElseThrow();
  }

  @Test
  void runs_areSummedOverEveryDay_byDimensions_perProject() {
    store.write(List.of(batch("a", List.of(
        run("r1", "bot", "v1", 0, 1000.0, RunStatus.SUCCESS),
        run("r2", "bot", "v1", 3 * DAY_MS, 3 * DAY_MS + 50, RunStatus.SUCCESS),
        run("r3", "bot", "v1", 9 * DAY_MS, 9 * DAY_MS + 20_000, RunStatus.SUCCESS),
        failedRun("r4", "bot", "v1", DAY_MS, DAY_MS + 500, "tool", "timeout", null),
        run("r5", "bot", null, 0, null, RunStatus.RUNNING)), List.of()),
        batch("b", List.of(run("x1", "bot", "v1", 0, 10.0, RunStatus.SUCCESS)), List.of())));
    AgentTotals t = totals("a");
    AgentTotals.Runs success = runsOf(t, "success");
    assertThat(success.agent()).isEqualTo("bot");
    assertThat(success.version()).isEqualTo("v1");
    assertThat(success.environment()).isEqualTo("production");
    assertThat(success.failureType()).isNull();
    assertThat(success.runs()).isEqualTo(3);
    assertThat(success.timed()).isEqualTo(3);
    assertThat(success.durationNs()).isEqualTo(21_050_000_000L);
    // 50 ms, exactly 1 s (counted at its bound), 20 s
    assertThat(success.durationBuckets()).containsExactly(1, 1, 0, 1);
    AgentTotals.Runs failure = runsOf(t, "failure");
    assertThat(failure.failureType()).isEqualTo("tool");
    assertThat(failure.failureCode()).isEqualTo("timeout");
    assertThat(failure.durationBuckets()).containsExactly(0, 1, 0, 0);
    AgentTotals.Runs running = runsOf(t, "running");
    assertThat(running.version()).isNull();
    assertThat(running.runs()).isEqualTo(1);
    assertThat(running.timed()).isZero();
    assertThat(totals("b").runs()).singleElement().satisfies(r -> assertThat(r.runs()).isEqualTo(1));
    assertThat(totals("nope").runs()).isEmpty();
  }

  @Test
  void steps_byTypeAndModel_withTokensCostErrorsAndRetries() {
    store.write(List.of(batch("a", List.of(run("r1", "bot", "v1", 0, 5000.0, RunStatus.SUCCESS),
        run("r2", "bot", "v1", 2 * DAY_MS, 2 * DAY_MS + 5000, RunStatus.SUCCESS)), List.of(
        llm(step("r1", "s1", 1, "llm", 0, 300, StepStatus.OK), "gpt-4o", 100, 20, 0.5),
        llm(step("r2", "s1", 1, "llm", 2 * DAY_MS, 2 * DAY_MS + 2000, StepStatus.OK), "gpt-4o", 10, 2, 0.25),
        step("r1", "s2", 2, "tool", 400, 450, StepStatus.ERROR),
        Records.attempt(step("r1", "s3", 3, "tool", 500, 540, StepStatus.OK), 2, "s2")))));
    AgentTotals t = totals("a");
    AgentTotals.Steps llm = t.steps().stream().filter(s -> s.stepType().equals("llm")).findFirst().orElseThrow();
    assertThat(llm.model()).isEqualTo("gpt-4o");
    assertThat(llm.steps()).isEqualTo(2);
    assertThat(llm.inputTokens()).isEqualTo(110);
    assertThat(llm.outputTokens()).isEqualTo(22);
    assertThat(llm.costUsd()).isCloseTo(0.75, within(1e-12));
    assertThat(llm.durationBuckets()).containsExactly(0, 1, 1, 0);
    AgentTotals.Steps tool = t.steps().stream().filter(s -> s.stepType().equals("tool")).findFirst().orElseThrow();
    assertThat(tool.model()).isNull();
    assertThat(tool.steps()).isEqualTo(2);
    assertThat(tool.errors()).isEqualTo(1);
    assertThat(tool.retries()).isEqualTo(1);
    assertThat(tool.timed()).isEqualTo(2);
    assertThat(tool.durationNs()).isEqualTo(90_000_000L);
  }

  @Test
  void rawRetention_leavesTotals_rollupRetentionRemovesThem() {
    store.write(List.of(batch("a", List.of(run("old", "bot", "v1", 0, 10.0, RunStatus.SUCCESS),
        run("new", "bot", "v1", 20 * DAY_MS, 20 * DAY_MS + 10, RunStatus.SUCCESS)), List.of())));
    assertThat(store.expireRuns("a", at(DAY_MS), 100)).isEqualTo(1);
    assertThat(runsOf(totals("a"), "success").runs()).isEqualTo(2);
    assertThat(store.expireRollups("a", at(10 * DAY_MS), at(10 * DAY_MS), 100)).isPositive();
    assertThat(runsOf(totals("a"), "success").runs()).isEqualTo(1);
  }

  @Test
  void aRunThatEnds_movesFromRunningToItsStatus() {
    store.write(List.of(batch("a", List.of(run("r1", "bot", "v1", 0, null, RunStatus.RUNNING)), List.of())));
    assertThat(runsOf(totals("a"), "running").runs()).isEqualTo(1);
    store.write(List.of(batch("a", List.of(run("r1", "bot", "v1", 0, 2000.0, RunStatus.SUCCESS)), List.of())));
    AgentTotals t = totals("a");
    assertThat(t.runs()).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo("success");
      assertThat(r.durationBuckets()).containsExactly(0, 0, 1, 0);
    });
  }
}
