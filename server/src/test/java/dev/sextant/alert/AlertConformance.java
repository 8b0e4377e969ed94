package dev.sextant.alert;

import static dev.sextant.store.Records.T0;
import static dev.sextant.store.Records.failedRun;
import static dev.sextant.store.Records.llm;
import static dev.sextant.store.Records.run;
import static dev.sextant.store.Records.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Json;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepStatus;
import dev.sextant.model.Times;
import dev.sextant.store.Project;
import dev.sextant.store.Store;
import dev.sextant.store.WriteBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rule evaluator over a real store: budget thresholds fire once per period and resolve in the
 * next, rules read runs that arrived in any order, pending waits for {@code for}, and state
 * survives reopening the store. Every backend runs it.
 */
public abstract class AlertConformance {
  static final String P = "alerts";
  protected Store store;
  final MutableClock clock = new MutableClock(Times.toInstant(T0).plus(Duration.ofHours(2)));
  final List<AlertEvent> events = new CopyOnWriteArrayList<>();
  final AlertNotifier recording = (event, channels) -> events.add(event);

  /** A store over the same database on every call (opened anew, as after a restart). */
  protected abstract Store open() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    store = open();
    store.migrate();
    store.putProject(new Project(P, P, ContentPolicy.METADATA_ONLY, Instant.EPOCH));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  void rule(String id, String json) {
    AlertRule rule = AlertRule.parse(id, Json.read(json));
    store.putAlertDoc(P, AlertEvaluator.RULE, id, Json.write(rule));
  }

  void spend(String runId, double minutesFromT0, double usd) {
    double ms = minutesFromT0 * 60_000;
    store.write(List.of(new WriteBatch(P, List.of(run(runId, "billing", "v1", ms, ms + 1000, RunStatus.SUCCESS)),
        List.of(llm(step(runId, "s1", 1, "llm", ms + 10, ms + 900, StepStatus.OK), "gpt-4o", 100, 100, usd)))));
  }

  List<String> seen() {
    return events.stream().map(e -> e.state() + " " + e.labels().getOrDefault("threshold_pct", "")).toList();
  }

  @Test
  void budget_firesAt80AndAt100ExactlyOnceEach_andResolvesInTheNextPeriod() {
    rule("budget", "{\"name\":\"daily spend\",\"kind\":\"budget\",\"agent\":\"billing\",\"period\":\"day\","
        + "\"amount_usd\":10,\"channels\":[\"ch\"]}");
    AlertEvaluator evaluator = new AlertEvaluator(store, recording, clock);
    spend("r1", 5, 5.0);
    evaluator.evaluate();
    assertThat(events).isEmpty();
    spend("r2", 10, 3.5);
    evaluator.evaluate();
    evaluator.evaluate();
    assertThat(seen()).containsExactly("firing 80");
    assertThat(events.get(0).value()).isCloseTo(8.5, within(1e-9));
    assertThat(events.get(0).threshold()).isCloseTo(8.0, within(1e-9));
    spend("r3", 20, 2.0);
    evaluator.evaluate();
    spend("r4", 30, 1.0);
    clock.advance(Duration.ofMinutes(5));
    evaluator.evaluate();
    evaluator.evaluate();
    assertThat(seen()).containsExactly("firing 80", "firing 100");

    clock.set(Instant.parse("2026-11-23T00:01:00Z"));
    evaluator.evaluate();
    evaluator.evaluate();
    assertThat(seen()).containsExactly("firing 80", "firing 100", "resolved 80", "resolved 100");
    List<String> history = store.alertLog(P, AlertEvaluator.HISTORY, 100);
    assertThat(history).hasSize(4);
    assertThat(Json.read(history.get(0)).get("to").asText()).isEqualTo("resolved");
  }

  @Test
  void budget_stateSurvivesReopeningTheStore() throws Exception {
    rule("budget", "{\"name\":\"daily spend\",\"kind\":\"budget\",\"period\":\"day\",\"amount_usd\":10,"
        + "\"channels\":[\"ch\"]}");
    spend("r1", 5, 9.0);
    new AlertEvaluator(store, recording, clock).evaluate();
    assertThat(seen()).containsExactly("firing 80");
    store.close();

    store = open();
    store.migrate();
    AlertEvaluator restarted = new AlertEvaluator(store, recording, clock);
    restarted.evaluate();
    assertThat(seen()).containsExactly("firing 80");
    spend("r2", 6, 1.5);
    restarted.evaluate();
    assertThat(seen()).containsExactly("firing 80", "firing 100");
  }

  @Test
  void errorRate_overRunsIngestedOutOfOrder_pendingForItsDuration_thenFiring_thenResolved() {
    rule("errors", "{\"name\":\"errors\",\"kind\":\"error_rate\",\"agent\":\"billing\",\"window_seconds\":3600,"
        + "\"threshold\":0.25,\"min_runs\":4,\"for_seconds\":120,\"channels\":[\"ch\"]}");
    // 8 runs, 3 failed, each record its own write, steps before their runs, in shuffled order
    List<WriteBatch> writes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      double ms = 60_000.0 * (60 + i * 5);
      String id = "e" + i;
      writes.add(new WriteBatch(P, List.of(), List.of(step(id, "s1", 1, "tool", ms + 5, ms + 50, StepStatus.OK))));
      writes.add(new WriteBatch(P, List.of(i % 3 == 0
          ? failedRun(id, "billing", "v1", ms, ms + 100, "tool", "timeout", "s1")
          : run(id, "billing", "v1", ms, ms + 100, RunStatus.SUCCESS)), List.of()));
    }
    Collections.shuffle(writes, new Random(7));
    for (WriteBatch w : writes) store.write(List.of(w));

    AlertEvaluator evaluator = new AlertEvaluator(store, recording, clock);
    evaluator.evaluate();
    AlertState pending = AlertState.fromJson(store.alertDoc(P, AlertEvaluator.STATE, "errors").orElseThrow());
    assertThat(pending.state()).isEqualTo("pending");
    assertThat(pending.value()).isCloseTo(3.0 / 8, within(1e-9));
    clock.advance(Duration.ofSeconds(60));
    evaluator.evaluate();
    assertThat(events).isEmpty();
    clock.advance(Duration.ofSeconds(60));
    evaluator.evaluate();
    assertThat(seen()).containsExactly("firing ");

    for (int i = 8; i < 16; i++) {
      double ms = 60_000.0 * (100 + i);
      store.write(List.of(new WriteBatch(P, List.of(run("e" + i, "billing", "v1", ms, ms + 100, RunStatus.SUCCESS)),
          List.of())));
    }
    evaluator.evaluate();
    assertThat(seen()).containsExactly("firing ", "resolved ");
    List<String> transitions = store.alertLog(P, AlertEvaluator.HISTORY, 10).stream()
        .map(Json::read).map(h -> h.get("from").asText() + ">" + h.get("to").asText()).toList();
    assertThat(transitions).containsExactly("firing>resolved", "pending>firing", "inactive>pending");
  }

  @Test
  void failureCount_noData_andSilences() {
    rule("timeouts", "{\"name\":\"timeouts\",\"kind\":\"failure_count\",\"failure_type\":\"tool\","
        + "\"failure_code\":\"timeout\",\"window_seconds\":3600,\"threshold\":2,\"channels\":[\"ch\"]}");
    rule("quiet", "{\"name\":\"quiet\",\"kind\":\"no_data\",\"agent\":\"billing\",\"window_seconds\":600,"
        + "\"channels\":[\"ch\"]}");
    for (int i = 0; i < 2; i++) {
      double ms = 60_000.0 * (100 + i);
      store.write(List.of(new WriteBatch(P, List.of(
          failedRun("f" + i, "billing", "v1", ms, ms + 100, "tool", "timeout", "s1")), List.of())));
    }
    // the last run started at 11:41; at 12:00 the agent has been quiet 19 minutes, but a silence holds the page back
    Silence s = new Silence("s1", "quiet", Times.toNanos(clock.instant().plusSeconds(3600)), null, 0);
    store.putAlertDoc(P, AlertEvaluator.SILENCE, s.id(), Json.write(s));
    AlertEvaluator evaluator = new AlertEvaluator(store, recording, clock);
    evaluator.evaluate();
    assertThat(events).extracting(AlertEvent::ruleId).containsExactly("timeouts");
    assertThat(events.get(0).value()).isEqualTo(2.0);
    AlertState quiet = AlertState.fromJson(store.alertDoc(P, AlertEvaluator.STATE, "quiet").orElseThrow());
    assertThat(quiet.state()).isEqualTo("firing");
    List<JsonNode> history = store.alertLog(P, AlertEvaluator.HISTORY, 10).stream().map(Json::read).toList();
    assertThat(history).filteredOn(h -> h.get("rule_id").asText().equals("quiet"))
        .singleElement().satisfies(h -> assertThat(h.get("silenced").asBoolean()).isTrue());
  }

  @Test
  void versionWorse_firesOnlyWhenTheCompareTestSaysWorse() {
    rule("v2-worse", "{\"name\":\"v2 worse\",\"kind\":\"version_worse\",\"agent\":\"billing\",\"version\":\"v2\","
        + "\"baseline\":\"v1\",\"window_seconds\":7200,\"channels\":[\"ch\"]}");
    rule("v3-same", "{\"name\":\"v3 same\",\"kind\":\"version_worse\",\"agent\":\"billing\",\"version\":\"v3\","
        + "\"baseline\":\"v1\",\"window_seconds\":7200,\"channels\":[\"ch\"]}");
    rule("v4-few", "{\"name\":\"v4 few\",\"kind\":\"version_worse\",\"agent\":\"billing\",\"version\":\"v4\","
        + "\"baseline\":\"v1\",\"window_seconds\":7200,\"metric\":\"error_rate\",\"channels\":[\"ch\"]}");
    // v1 and v3: 3 of 60 runs failed; v2: 18 of 60; v4: 10 of 10 (too few runs to judge)
    List<WriteBatch> writes = new ArrayList<>();
    String[] versions = {"v1", "v2", "v3"};
    for (String v : versions) {
      int failed = v.equals("v2") ? 18 : 3;
      for (int i = 0; i < 60; i++) {
        double ms = 60_000.0 * 30 + i * 1000;
        String id = v + "-" + i;
        writes.add(new WriteBatch(P, List.of(i < failed ? failedRun(id, "billing", v, ms, ms + 100, "tool", "timeout", null)
            : run(id, "billing", v, ms, ms + 100, RunStatus.SUCCESS)), List.of()));
      }
    }
    for (int i = 0; i < 10; i++) {
      double ms = 60_000.0 * 40 + i * 1000;
      writes.add(new WriteBatch(P, List.of(failedRun("v4-" + i, "billing", "v4", ms, ms + 100, "tool", "timeout", null)),
          List.of()));
    }
    Collections.shuffle(writes, new Random(3));
    for (WriteBatch w : writes) store.write(List.of(w));

    AlertEvaluator evaluator = new AlertEvaluator(store, recording, clock);
    evaluator.evaluate();
    clock.advance(Duration.ofSeconds(60));
    evaluator.evaluate();
    assertThat(events).extracting(AlertEvent::ruleId).containsExactly("v2-worse");
    assertThat(events.get(0).state()).isEqualTo("firing");
    assertThat(events.get(0).value()).isLessThan(0.05);
    assertThat(events.get(0).summary()).contains("billing v2 is worse than v1 on error_rate");
    assertThat(AlertState.fromJson(store.alertDoc(P, AlertEvaluator.STATE, "v3-same").orElseThrow()).state())
        .isNotEqualTo("firing");
  }

  @Test
  void versionWorse_onLatencyFiresWhenTheP95TestSaysWorse() {
    rule("slow-tail", "{\"name\":\"slow tail\",\"kind\":\"version_worse\",\"agent\":\"billing\",\"version\":\"v2\","
        + "\"baseline\":\"v1\",\"window_seconds\":7200,\"metric\":\"latency_p95\",\"channels\":[\"ch\"]}");
    rule("same-tail", "{\"name\":\"same tail\",\"kind\":\"version_worse\",\"agent\":\"billing\",\"version\":\"v3\","
        + "\"baseline\":\"v1\",\"window_seconds\":7200,\"metric\":\"latency_p95\",\"channels\":[\"ch\"]}");
    // 120 runs each of 100..219 ms; v2's slowest tenth take ten times as long, v3 is v1 again
    List<WriteBatch> writes = new ArrayList<>();
    for (String v : new String[] {"v1", "v2", "v3"}) {
      for (int i = 0; i < 120; i++) {
        double ms = 60_000.0 * 30 + i * 1000;
        double took = v.equals("v2") && i >= 108 ? 10 * (100 + i) : 100 + i;
        writes.add(new WriteBatch(P, List.of(run(v + "-" + i, "billing", v, ms, ms + took, RunStatus.SUCCESS)), List.of()));
      }
    }
    Collections.shuffle(writes, new Random(5));
    for (WriteBatch w : writes) store.write(List.of(w));

    AlertEvaluator evaluator = new AlertEvaluator(store, recording, clock);
    evaluator.evaluate();
    clock.advance(Duration.ofSeconds(60));
    evaluator.evaluate();
    assertThat(events).extracting(AlertEvent::ruleId).containsExactly("slow-tail");
    assertThat(events.get(0).value()).isLessThan(0.05);
    assertThat(events.get(0).summary()).contains("billing v2 is worse than v1 on latency_p95");
  }

  @Test
  void latencyP95_ofRunsAndOfAStepType() {
    rule("slow-runs", "{\"name\":\"slow runs\",\"kind\":\"latency_p95\",\"agent\":\"billing\","
        + "\"window_seconds\":3600,\"threshold\":900,\"channels\":[\"ch\"]}");
    rule("slow-tools", "{\"name\":\"slow tools\",\"kind\":\"latency_p95\",\"step_type\":\"tool\","
        + "\"window_seconds\":3600,\"threshold\":300,\"channels\":[\"ch\"]}");
    // runs of 100, 200 … 1000 ms, each with a tool step of a tenth of that
    for (int i = 1; i <= 10; i++) {
      double ms = 60_000.0 * (70 + i);
      store.write(List.of(new WriteBatch(P, List.of(run("l" + i, "billing", "v1", ms, ms + 100 * i, RunStatus.SUCCESS)),
          List.of(step("l" + i, "s1", 1, "tool", ms, ms + 10 * i, StepStatus.OK)))));
    }
    new AlertEvaluator(store, recording, clock).evaluate();
    assertThat(events).extracting(AlertEvent::ruleId).containsExactly("slow-runs");
    assertThat(events.get(0).value()).isCloseTo(955.0, within(1e-6));
    AlertState tools = AlertState.fromJson(store.alertDoc(P, AlertEvaluator.STATE, "slow-tools").orElseThrow());
    assertThat(tools.state()).isEqualTo("inactive");
    assertThat(tools.value()).isCloseTo(95.5, within(1e-6));
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    void set(Instant at) {
      now = at;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
