package dev.sextant.store;

import static dev.sextant.store.Records.T0;
import static dev.sextant.store.Records.at;
import static dev.sextant.store.Records.attempt;
import static dev.sextant.store.Records.batch;
import static dev.sextant.store.Records.child;
import static dev.sextant.store.Records.failedRun;
import static dev.sextant.store.Records.llm;
import static dev.sextant.store.Records.run;
import static dev.sextant.store.Records.step;
import static dev.sextant.store.Records.withDetails;
import static dev.sextant.store.Records.withError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Json;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.Scope;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.model.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The storage conformance suite. Every backend extends this class and passes it unchanged; a
 * behaviour a backend cannot offer is skipped in the subclass with the reason.
 */
public abstract class StoreConformance {
  protected static final String P = "default";
  protected Store store;

  /** A new, empty, migrated store. */
  protected abstract Store newStore() throws Exception;

  /**
   * A new, empty store whose stats always read percentiles from the rollups' sketches (never
   * exactly from raw rows, as small answers otherwise do), for the rollup property.
   */
  protected abstract Store newSketchOnlyStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    store.migrate();
    store.putProject(new Project(P, P, ContentPolicy.METADATA_ONLY, Instant.EPOCH));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void write(List<RunRecord> runs, List<StepRecord> steps) {
    store.write(List.of(batch(P, runs, steps)));
  }

  /** Into a new, empty store, writes each record on its own in a random order; returns {@code runId}. */
  private RunDetail writeShuffled(List<Object> records, Random random, String runId) {
    reopen();
    List<Object> shuffled = new ArrayList<>(records);
    Collections.shuffle(shuffled, random);
    for (Object o : shuffled) {
      if (o instanceof RunRecord) write(List.of((RunRecord) o), List.of());
      else write(List.of(), List.of((StepRecord) o));
    }
    return store.getRun(P, runId).orElseThrow();
  }

  /** Replaces the store with a new, empty one. */
  private void reopen() {
    store.close();
    try {
      store = newStore();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    store.migrate();
    store.putProject(new Project(P, P, ContentPolicy.METADATA_ONLY, Instant.EPOCH));
  }

  private RunSummary summary(String runId) {
    return store.getRun(P, runId).orElseThrow().run();
  }

  @Test
  void migrate_isIdempotent() {
    store.migrate();
    store.migrate();
    assertThat(store.projects()).extracting(Project::projectId).containsExactly(P);
  }

  @Test
  void getRun_notFound() {
    assertThat(store.getRun(P, "nope")).isEmpty();
    assertThat(store.getStep(P, "nope", "x")).isEmpty();
  }

  @Test
  void write_roundTripsEveryField() {
    RunRecord r = RunRecord.builder("r1").agentId("support-agent").agentVersion("v1").environment("production")
        .name("handle_ticket").sessionId("conv-1").labels(Map.of("team", "billing")).startNanos(at(0))
        .endNanos(at(2500)).status(RunStatus.FAILURE)
        .failure(new dev.sextant.model.Failure("tool", "timeout", "billing_api timed out", "s2")).build();
    StepRecord s1 = llm(step("r1", "s1", 1, "llm", 10, 510, StepStatus.OK), "gpt-4o", 512, 128, 0.0031);
    StepRecord s2 = Records.withDetails(step("r1", "s2", 2, "tool", 600, 2400, StepStatus.TIMEOUT));
    write(List.of(r), List.of(s1, s2));

    RunDetail d = store.getRun(P, "r1").orElseThrow();
    RunSummary s = d.run();
    assertThat(s.agentId()).isEqualTo("support-agent");
    assertThat(s.agentVersion()).isEqualTo("v1");
    assertThat(s.environment()).isEqualTo("production");
    assertThat(s.sessionId()).isEqualTo("conv-1");
    assertThat(s.labels()).isEqualTo(Map.of("team", "billing"));
    assertThat(s.status()).isEqualTo("failure");
    assertThat(s.startTime()).isEqualTo(Times.toInstant(at(0)));
    assertThat(s.durationMs()).isEqualTo(2500.0);
    assertThat(s.stepCount()).isEqualTo(2);
    assertThat(s.errorCount()).isEqualTo(1);
    assertThat(s.inputTokens()).isEqualTo(512);
    assertThat(s.outputTokens()).isEqualTo(128);
    assertThat(s.costUsd()).isCloseTo(0.0031, within(1e-12));
    assertThat(s.failure()).isEqualTo(new RunSummary.FailureRef("tool", "timeout", "s2"));
    assertThat(d.failure().message()).isEqualTo("billing_api timed out");
    assertThat(d.steps()).extracting(StepSummary::stepId).containsExactly("s1", "s2");
    assertThat(d.steps().get(0).model()).isEqualTo("gpt-4o");
    assertThat(d.steps().get(1).durationMs()).isEqualTo(1800.0);

    StepDetail detail = store.getStep(P, "r1", "s2").orElseThrow();
    assertThat(detail.step().seq()).isEqualTo(2);
    assertThat(detail.step().error().code()).isEqualTo("timeout");
    assertThat(detail.metadata().get("http_status").asInt()).isEqualTo(504);
    assertThat(detail.input().asText()).isEqualTo("in");
    assertThat(detail.cacheReadTokens()).isEqualTo(7);
    assertThat(detail.reasoningTokens()).isEqualTo(3);
    assertThat(detail.events()).hasSize(1);
    assertThat(detail.events().get(0).time()).isEqualTo(Times.toInstant(at(600) + 1000));
    assertThat(detail.normalization()).containsEntry("type", "test=tool");
  }

  @Test
  void normalization_shortOrLong_theLastSaidIsKept() {
    Map<String, String> shortMap = Map.of("type", "gen_ai.operation.name=chat");
    Map<String, String> longMap = Map.of("type", "x".repeat(WriteBatch.MAX_NAMED_TEXT + 100));
    Map<String, String> otherShort = Map.of("model", "gen_ai.request.model");
    StepRecord base = step("r1", "s1", 1, "llm", 10, 510, StepStatus.OK);
    write(List.of(), List.of(base.toBuilder().normalization(longMap).build()));
    assertThat(store.getStep(P, "r1", "s1").orElseThrow().normalization()).isEqualTo(longMap);
    write(List.of(), List.of(base.toBuilder().normalization(shortMap).build()));
    assertThat(store.getStep(P, "r1", "s1").orElseThrow().normalization()).isEqualTo(shortMap);
    write(List.of(), List.of(base.toBuilder().normalization(longMap).build()));
    assertThat(store.getStep(P, "r1", "s1").orElseThrow().normalization()).isEqualTo(longMap);
    write(List.of(), List.of(base.toBuilder().normalization(otherShort).build(), base));
    assertThat(store.getStep(P, "r1", "s1").orElseThrow().normalization()).isEqualTo(otherShort);
    // a step that says nothing of it keeps it; another step with the same map shares it
    write(List.of(), List.of(base, step("r1", "s2", 2, "llm", 10, 510, StepStatus.OK).toBuilder()
        .normalization(otherShort).build()));
    assertThat(store.getStep(P, "r1", "s1").orElseThrow().normalization()).isEqualTo(otherShort);
    assertThat(store.getStep(P, "r1", "s2").orElseThrow().normalization()).isEqualTo(otherShort);
  }

  @Test
  void metadata_withAScopePart_readsBackAsSent_andTheLastSaidIsKeptWhole() {
    String scoped = "{\"http.route\":\"/v1/chat\",\"n\":[1,{\"é\":null}],\"otel.span.kind\":\"client\","
        + "\"otel.scope.name\":\"openai\",\"otel.scope.version\":\"2.1\"}";
    String scopeOnly = "{\"otel.span.kind\":\"internal\",\"otel.scope.name\":\"openai\"}";
    String plain = "{\"otel.scope.name\":\"first, so kept in the row\",\"k\":1}";
    StepRecord base = step("r1", "s1", 1, "llm", 10, 510, StepStatus.OK);
    // the first write creates the run, the others merge into its rows
    for (String sent : List.of(scoped, plain, scopeOnly, scoped, plain)) {
      write(List.of(), List.of(base.toBuilder().metadata(object(sent)).build()));
      assertThat(Json.write(store.getStep(P, "r1", "s1").orElseThrow().metadata())).isEqualTo(sent);
    }
    // a record without metadata keeps it; two steps share a scope part; the last record in a write wins
    write(List.of(), List.of(base.toBuilder().metadata(object(scoped)).build(), base,
        step("r1", "s2", 2, "llm", 10, 510, StepStatus.OK).toBuilder().metadata(object(scoped)).build()));
    assertThat(Json.write(store.getStep(P, "r1", "s1").orElseThrow().metadata())).isEqualTo(scoped);
    assertThat(Json.write(store.getStep(P, "r1", "s2").orElseThrow().metadata())).isEqualTo(scoped);
    write(List.of(), List.of(base.toBuilder().metadata(object(scopeOnly)).build(),
        base.toBuilder().metadata(object(plain)).build()));
    assertThat(Json.write(store.getStep(P, "r1", "s1").orElseThrow().metadata())).isEqualTo(plain);
  }

  private static ObjectNode object(String json) {
    return (ObjectNode) Json.read(json);
  }

  @Test
  void timestamps_keepNanoseconds() {
    RunRecord r = RunRecord.builder("r1").agentId("a").agentVersion("v1").startNanos(T0 + 123_456_789L)
        .endNanos(T0 + 987_654_321L).status(RunStatus.SUCCESS).build();
    write(List.of(r), List.of());
    assertThat(summary("r1").startTime().getNano()).isEqualTo(123_456_789);
    assertThat(summary("r1").endTime().getNano()).isEqualTo(987_654_321);
  }

  @Test
  void stepBeforeRun_converges() {
    StepRecord s = step("r1", "s1", 1, "llm", 0, 100, StepStatus.OK);
    write(List.of(), List.of(s));
    assertThat(summary("r1").stepCount()).isEqualTo(1);
    assertThat(summary("r1").status()).isEqualTo("running");
    write(List.of(run("r1", "a", "v1", 0, 200.0, RunStatus.SUCCESS)), List.of());
    RunSummary sum = summary("r1");
    assertThat(sum.stepCount()).isEqualTo(1);
    assertThat(sum.status()).isEqualTo("success");
    assertThat(sum.agentId()).isEqualTo("a");
  }

  @Test
  void endBeforeStart_keepsFinalStatus() {
    write(List.of(run("r1", "a", "v1", 0, 500.0, RunStatus.SUCCESS)), List.of());
    write(List.of(run("r1", "a", "v1", 0, null, RunStatus.RUNNING)), List.of());
    RunSummary s = summary("r1");
    assertThat(s.status()).isEqualTo("success");
    assertThat(s.durationMs()).isEqualTo(500.0);
  }

  @Test
  void partialUpdates_fillFieldByField() {
    write(List.of(RunRecord.builder("r1").name("first").startNanos(at(0)).build()),
        List.of());
    write(List.of(RunRecord.builder("r1").agentId("agent").agentVersion("v2").environment("staging").sessionId("sess")
        .endNanos(at(100)).status(RunStatus.SUCCESS).build()), List.of());
    RunSummary s = summary("r1");
    assertThat(s.name()).isEqualTo("first");
    assertThat(s.agentId()).isEqualTo("agent");
    assertThat(s.environment()).isEqualTo("staging");
    assertThat(s.sessionId()).isEqualTo("sess");
    assertThat(s.durationMs()).isEqualTo(100.0);
  }

  @Test
  void sameBatchTwice_changesNothing() {
    List<RunRecord> runs = List.of(run("r1", "a", "v1", 0, 300.0, RunStatus.SUCCESS));
    List<StepRecord> steps = List.of(
        llm(step("r1", "s1", 1, "llm", 0, 100, StepStatus.OK), "m", 10, 5, 0.01),
        step("r1", "s2", 2, "tool", 100, 200, StepStatus.OK));
    write(runs, steps);
    RunDetail first = store.getRun(P, "r1").orElseThrow();
    write(runs, steps);
    store.write(List.of(batch(P, runs, steps), batch(P, runs, steps)));
    RunDetail again = store.getRun(P, "r1").orElseThrow();
    assertThat(again).isEqualTo(first);
    assertThat(store.listRuns(P, RunQuery.all()).runs()).hasSize(1);
  }

  @Test
  void anyOrder_convergesToTheSameState() {
    List<Object> items = new ArrayList<>();
    items.add(run("r1", "a", "v1", 0, null, RunStatus.RUNNING));
    items.add(failedRun("r1", "a", "v1", 0, 1000, "tool", "timeout", "s3"));
    items.add(step("r1", "s1", 1, "plan", 0, 50, StepStatus.OK));
    items.add(llm(step("r1", "s2", 2, "llm", 50, 400, StepStatus.OK), "m", 100, 20, 0.002));
    items.add(step("r1", "s3", 3, "tool", 400, 700, StepStatus.TIMEOUT));
    items.add(attempt(step("r1", "s4", 4, "tool", 700, 990, StepStatus.TIMEOUT), 2, "s3"));
    RunDetail expected = null;
    Random random = new Random(7);
    for (int round = 0; round < 6; round++) {
      RunDetail d = writeShuffled(items, random, "r1");
      if (expected == null) expected = d;
      assertThat(d).isEqualTo(expected);
    }
    RunSummary s = expected.run();
    assertThat(s.status()).isEqualTo("failure");
    assertThat(s.stepCount()).isEqualTo(4);
    assertThat(s.errorCount()).isEqualTo(2);
    assertThat(s.retryCount()).isEqualTo(1);
    assertThat(s.durationMs()).isEqualTo(1000.0);
  }

  /**
   * A client that only says "the run failed" (an OTLP root span, a LangSmith root run): the store
   * names the cause from the stored steps, whichever writes brought them. Here the ancestors of the
   * rate-limited model call failed because of it, and an earlier timeout was retried successfully.
   */
  @Test
  void inferredFailure_namesTheFirstUnrecoveredFailedLeaf_inAnyOrder() {
    List<Object> items = new ArrayList<>();
    items.add(RunRecord.builder("r1").agentId("a").agentVersion("v1").name("handle_ticket").startNanos(at(0))
        .endNanos(at(1000)).status(RunStatus.FAILURE)
        .failure(dev.sextant.model.Failure.inferred("orchestration", "error", "agent failed", "root")).build());
    items.add(withError(step("r1", "root", 1, "agent", 0, 1000, StepStatus.ERROR), "orchestration", "error"));
    items.add(child(step("r1", "plan", 2, "plan", 0, 50, StepStatus.OK), "root"));
    items.add(child(attempt(step("r1", "t1", 3, "tool", 50, 300, StepStatus.TIMEOUT), 1, null), "root"));
    items.add(child(attempt(step("r1", "t2", 4, "tool", 300, 400, StepStatus.OK), 2, "t1"), "root"));
    items.add(child(withError(step("r1", "sub", 5, "agent", 400, 990, StepStatus.ERROR), "orchestration",
        "error"), "root"));
    items.add(child(withError(step("r1", "llm", 6, "llm", 400, 900, StepStatus.ERROR), "model", "rate_limited"),
        "sub"));
    items.add(child(withError(step("r1", "late", 7, "tool", 950, 980, StepStatus.ERROR), "tool", "auth_failed"),
        "sub"));
    Random random = new Random(11);
    for (int round = 0; round < 6; round++) {
      RunDetail d = writeShuffled(items, random, "r1");
      assertThat(d.run().status()).isEqualTo("failure");
      assertThat(d.failure()).isEqualTo(new dev.sextant.model.Failure("model", "rate_limited", "rate_limited in llm",
          "llm"));
      assertThat(d.run().failure()).isEqualTo(new RunSummary.FailureRef("model", "rate_limited", "llm"));
    }
  }

  @Test
  void inferredFailure_keepsTheRootWhenNoStepBelowItFailed() {
    write(List.of(RunRecord.builder("r1").agentId("a").agentVersion("v1").name("n").startNanos(at(0)).endNanos(at(10))
        .status(RunStatus.FAILURE)
        .failure(dev.sextant.model.Failure.inferred("unknown", "error", "root failed", "root")).build()),
        List.of(withError(step("r1", "root", 1, "agent", 0, 10, StepStatus.ERROR), "unknown", "error"),
            child(step("r1", "c", 2, "tool", 1, 5, StepStatus.OK), "root")));
    assertThat(store.getRun(P, "r1").orElseThrow().failure())
        .isEqualTo(new dev.sextant.model.Failure("unknown", "error", "root failed", "root"));
  }

  @Test
  void statedFailure_isNeverRenamedFromTheSteps() {
    write(List.of(failedRun("r1", "a", "v1", 0, 10, "guardrail", "schema_invalid", "g")),
        List.of(withError(step("r1", "root", 1, "agent", 0, 10, StepStatus.ERROR), "unknown", "error"),
            child(withError(step("r1", "t", 2, "tool", 1, 5, StepStatus.ERROR), "tool", "timeout"), "root"),
            child(step("r1", "g", 3, "guardrail", 5, 9, StepStatus.OK), "root")));
    assertThat(store.getRun(P, "r1").orElseThrow().failure())
        .isEqualTo(new dev.sextant.model.Failure("guardrail", "schema_invalid", "boom", "g"));
  }

  /**
   * A failure stated without its step keeps its type, code and message, and gains the step the
   * inference names, in any order; a step without an error type gives the type of its step type.
   */
  @Test
  void statedFailureWithoutStep_gainsTheCauseStep_inAnyOrder() {
    List<Object> items = new ArrayList<>();
    items.add(RunRecord.builder("r1").agentId("a").agentVersion("v1").name("n").startNanos(at(0)).endNanos(at(100))
        .status(RunStatus.FAILURE).failure(new dev.sextant.model.Failure("tool", "timeout", "said the client", null))
        .build());
    items.add(withError(step("r1", "root", 1, "agent", 0, 100, StepStatus.ERROR), "orchestration", "error"));
    items.add(child(step("r1", "ok", 2, "llm", 0, 10, StepStatus.OK), "root"));
    items.add(child(step("r1", "t", 3, "tool", 10, 50, StepStatus.TIMEOUT), "root"));
    items.add(child(withError(step("r1", "late", 4, "retrieval", 20, 90, StepStatus.ERROR), "retrieval",
        "rate_limited"), "root"));
    Random random = new Random(5);
    for (int round = 0; round < 4; round++) {
      RunDetail d = writeShuffled(items, random, "r1");
      assertThat(d.failure()).isEqualTo(new dev.sextant.model.Failure("tool", "timeout", "said the client", "t"));
    }
    // the same run with an inferred failure takes the cause's type from its step type (it has no error)
    write(List.of(RunRecord.builder("r2").agentId("a").agentVersion("v1").name("n").startNanos(at(0))
        .endNanos(at(100)).status(RunStatus.FAILURE)
        .failure(dev.sextant.model.Failure.inferred("orchestration", "error", "root failed", "root")).build()),
        List.of(withError(step("r2", "root", 1, "agent", 0, 100, StepStatus.ERROR), "orchestration", "error"),
            child(step("r2", "t", 2, "tool", 10, 50, StepStatus.TIMEOUT), "root")));
    assertThat(store.getRun(P, "r2").orElseThrow().failure())
        .isEqualTo(new dev.sextant.model.Failure("tool", "error", null, "t"));
  }

  /** A "running" that arrives with or after the run's end is not a status: the run stays finished. */
  @Test
  void runningWithAKnownEnd_doesNotReopenTheRun_inEitherOrder() {
    RunRecord end = RunRecord.builder("r1").agentId("a").agentVersion("v1").startNanos(at(0)).endNanos(at(30)).build();
    RunRecord start = run("r1", "a", "v1", 0, null, RunStatus.RUNNING);
    StepRecord failed = step("r1", "s1", 1, "tool", 0, 10, StepStatus.ERROR);
    for (boolean endFirst : new boolean[] {true, false}) {
      reopen();
      write(List.of(), List.of(failed));
      write(List.of(endFirst ? end : start), List.of());
      write(List.of(endFirst ? start : end), List.of());
      RunSummary s = summary("r1");
      assertThat(s.status()).as("end first: %s", endFirst).isEqualTo("partial");
      assertThat(s.durationMs()).isEqualTo(30.0);
    }
  }

  /** A run known only by its end is placed at its end, with no duration; one with no time at all, when first seen. */
  @Test
  void runWithoutAStart_isPlacedAtItsEnd_withoutADuration() {
    Instant before = Instant.now();
    write(List.of(RunRecord.builder("ended").agentId("a").agentVersion("v1").endNanos(at(50))
        .status(RunStatus.SUCCESS).build(),
        RunRecord.builder("timeless").agentId("a").agentVersion("v1").build()),
        List.of());
    RunSummary ended = summary("ended");
    assertThat(ended.startTime()).isEqualTo(Times.toInstant(at(50)));
    assertThat(ended.durationMs()).isNull();
    RunSummary timeless = summary("timeless");
    assertThat(timeless.startTime()).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
    assertThat(timeless.status()).isEqualTo("running");
    write(List.of(RunRecord.builder("timeless").build()), List.of());
    assertThat(summary("timeless").startTime()).as("stays where it was first seen").isEqualTo(timeless.startTime());
    write(List.of(), List.of(step("timeless", "s", 1, "tool", 5, 9, StepStatus.OK)));
    assertThat(summary("timeless").startTime()).as("its first step's start, once known")
        .isEqualTo(Times.toInstant(at(5)));
    assertThat(store.stats(P, RunQuery.all()).latencyMs().avg()).as("no duration, no latency").isNull();
  }

  @Test
  void derivedStatus_whenNoneReported() {
    write(List.of(run("running", "a", "v1", 0, null, null), run("ok", "a", "v1", 0, 10.0, null),
            run("partial", "a", "v1", 0, 10.0, null), run("recovered", "a", "v1", 0, 10.0, null),
            RunRecord.builder("failed").agentId("a").agentVersion("v1").startNanos(at(0)).endNanos(at(10))
                .failure(new dev.sextant.model.Failure("model", "rate_limited", null, null)).build()),
        List.of(step("partial", "p1", 1, "tool", 0, 5, StepStatus.ERROR),
            step("recovered", "x1", 1, "tool", 0, 5, StepStatus.TIMEOUT),
            attempt(step("recovered", "x2", 2, "tool", 5, 8, StepStatus.OK), 2, "x1")));
    assertThat(summary("running").status()).isEqualTo("running");
    assertThat(summary("ok").status()).isEqualTo("success");
    assertThat(summary("partial").status()).isEqualTo("partial");
    assertThat(summary("recovered").status()).isEqualTo("success");
    assertThat(summary("failed").status()).isEqualTo("failure");
  }

  @Test
  void tokens_countLeavesOnly() {
    StepRecord agent = llm(step("r1", "agent", 1, "agent", 0, 100, StepStatus.OK), "m", 300, 30, 0.3);
    StepRecord a = child(llm(step("r1", "a", 2, "llm", 0, 50, StepStatus.OK), "m", 100, 10, 0.1), "agent");
    StepRecord b = child(llm(step("r1", "b", 3, "llm", 50, 100, StepStatus.OK), "m", 200, 20, 0.2), "agent");
    StepRecord other = llm(step("r1", "c", 4, "llm", 100, 150, StepStatus.OK), "m", 5, 1, 0.05);
    write(List.of(run("r1", "a", "v1", 0, 150.0, RunStatus.SUCCESS)), List.of(agent, a, b, other));
    RunSummary s = summary("r1");
    assertThat(s.inputTokens()).isEqualTo(305);
    assertThat(s.outputTokens()).isEqualTo(31);
    assertThat(s.costUsd()).isCloseTo(0.35, within(1e-9));
  }

  @Test
  void steps_orderedBySeqThenStart() {
    write(List.of(run("r1", "a", "v1", 0, 10.0, RunStatus.SUCCESS)),
        List.of(step("r1", "c", 3, "tool", 0, 1, StepStatus.OK), step("r1", "a", 1, "plan", 5, 6, StepStatus.OK),
            step("r1", "b", 2, "llm", 2, 3, StepStatus.OK)));
    assertThat(store.getRun(P, "r1").orElseThrow().steps()).extracting(StepSummary::stepId)
        .containsExactly("a", "b", "c");
  }

  @Test
  void labels_replacedAsAWhole() {
    RunRecord r = run("r1", "a", "v1", 0, 1.0, RunStatus.SUCCESS);
    write(List.of(RunRecord.builder("r1").agentId("a").labels(Map.of("team", "x", "tier", "gold"))
        .startNanos(r.startNanos()).endNanos(r.endNanos()).status(r.status()).build()), List.of());
    write(List.of(RunRecord.builder("r1").labels(Map.of("team", "y")).build()), List.of());
    assertThat(summary("r1").labels()).isEqualTo(Map.of("team", "y"));
    RunQuery q = query(new RunQuery.LabelFilter("team", "y"));
    assertThat(store.listRuns(P, q).runs()).hasSize(1);
    assertThat(store.listRuns(P, query(new RunQuery.LabelFilter("tier", "gold"))).runs()).isEmpty();
  }

  @Test
  void labels_sameRunTwiceInOneWrite_lastWins() {
    RunRecord first = RunRecord.builder("r1").agentId("a").labels(Map.of("team", "x")).build();
    RunRecord second = RunRecord.builder("r1").labels(Map.of("team", "y", "tier", "gold")).build();
    store.write(List.of(batch(P, List.of(first, second), List.of()), batch(P, List.of(second), List.of())));
    assertThat(summary("r1").labels()).isEqualTo(Map.of("team", "y", "tier", "gold"));
  }

  /** SQLite may give the next run the key of the last run deleted: no label of the old run may come with it. */
  @Test
  void labels_goWithTheirExpiredRun_andNoLaterRunFindsThem() {
    RunRecord old = run("old", "a", "v1", 0, 1.0, RunStatus.SUCCESS);
    write(List.of(RunRecord.builder("old").agentId("a").labels(Map.of("team", "x")).startNanos(old.startNanos())
        .endNanos(old.endNanos()).status(old.status()).build()), List.of());
    assertThat(store.expireRuns(P, at(3_600_000.0), 10)).isEqualTo(1);
    write(List.of(run("new", "a", "v1", 7_200_000.0, 7_200_001.0, RunStatus.SUCCESS)), List.of());
    assertThat(store.listRuns(P, query(new RunQuery.LabelFilter("team", "x"))).runs()).isEmpty();
    assertThat(summary("new").labels()).isNullOrEmpty();
  }

  private static RunQuery query(RunQuery.LabelFilter label) {
    RunQuery a = RunQuery.all();
    return new RunQuery(null, null, null, null, null, null, null, List.of(label), null, null, null, null, null,
        a.sort(), a.limit(), null);
  }

  @Test
  void listRuns_filtersAndPages() {
    List<RunRecord> runs = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      runs.add(i % 5 == 0
          ? failedRun("r" + i, i % 2 == 0 ? "a" : "b", "v" + (i % 3), i * 1000, i * 1000 + 10 * i, "tool", "timeout", null)
          : run("r" + i, i % 2 == 0 ? "a" : "b", "v" + (i % 3), i * 1000, (double) (i * 1000 + 10 * i), RunStatus.SUCCESS));
    }
    write(runs, List.of(step("r7", "s", 1, "tool", 7000, 7001, StepStatus.OK)));
    RunQuery all = RunQuery.all();

    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    String cursor = null;
    do {
      RunPage page = store.listRuns(P, all.withPage(7, cursor));
      page.runs().forEach(r -> order.add(r.runId()));
      page.runs().forEach(r -> assertThat(seen.add(r.runId())).isTrue());
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(order).hasSize(25).startsWith("r24", "r23").endsWith("r0");

    RunQuery byDuration = new RunQuery(null, null, null, null, null, null, null, List.of(), null, null, null, null,
        null, RunQuery.Sort.DURATION, 10, null);
    RunPage first = store.listRuns(P, byDuration);
    assertThat(first.runs().get(0).runId()).isEqualTo("r24");
    RunPage second = store.listRuns(P, byDuration.withPage(10, first.nextCursor()));
    assertThat(second.runs().get(0).runId()).isEqualTo("r14");

    assertThat(count(new RunQuery("a", null, null, null, null, null, null, List.of(), null, null, null, null, null,
        all.sort(), 100, null))).isEqualTo(13);
    assertThat(count(new RunQuery("a", "v0", null, null, null, null, null, List.of(), null, null, null, null, null,
        all.sort(), 100, null))).isEqualTo(5);
    assertThat(count(new RunQuery(null, null, null, "failure", "tool", "timeout", null, List.of(), null, null, null,
        null, null, all.sort(), 100, null))).isEqualTo(5);
    assertThat(count(new RunQuery(null, null, null, null, null, null, null, List.of(), null, at(5000), at(10000),
        null, null, all.sort(), 100, null))).isEqualTo(5);
    assertThat(count(new RunQuery(null, null, null, null, null, null, null, List.of(), null, null, null, 100.0, 200.0,
        all.sort(), 100, null))).isEqualTo(11);
    assertThat(count(new RunQuery(null, null, null, null, null, null, null, List.of(), "TOOL_1", null, null, null,
        null, all.sort(), 100, null))).isEqualTo(1);
    assertThat(count(new RunQuery(null, null, "staging", null, null, null, null, List.of(), null, null, null, null,
        null, all.sort(), 100, null))).isZero();
    assertThatThrownBy(() -> store.listRuns(P, all.withPage(5, "garbage!")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor is not valid");
  }

  @Test
  void listRuns_byDuration_pagesEveryMatchingRunOnceInOrder_withTiesFiltersAndRange() {
    List<RunRecord> runs = new ArrayList<>();
    Double[] durations = {null, 100.0, 200.0, 300.0, 200.0};
    for (int i = 0; i < 60; i++) {
      Double d = durations[(i * 7) % durations.length];
      runs.add(run(String.format("t%02d", (i * 37) % 60), i % 3 == 0 ? "b" : "a", "v1", i * 1000,
          d == null ? null : i * 1000 + d, d == null ? RunStatus.RUNNING : RunStatus.SUCCESS));
    }
    write(runs, List.of());
    List<RunRecord> want = new ArrayList<>(runs.stream()
        .filter(r -> r.agentId().equals("a") && r.startNanos() >= at(4500) && r.startNanos() < at(50500)).toList());
    want.sort((x, y) -> {
      double dx = x.endNanos() == null ? -1 : (x.endNanos() - x.startNanos()) / 1e6;
      double dy = y.endNanos() == null ? -1 : (y.endNanos() - y.startNanos()) / 1e6;
      return dx != dy ? Double.compare(dy, dx) : y.runId().compareTo(x.runId());
    });
    RunQuery q = new RunQuery("a", null, null, null, null, null, null, List.of(), null, at(4500), at(50500),
        null, null, RunQuery.Sort.DURATION, 4, null);
    List<String> got = new ArrayList<>();
    String cursor = null;
    do {
      RunPage page = store.listRuns(P, q.withPage(4, cursor));
      page.runs().forEach(r -> got.add(r.runId()));
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(got).hasSize(31).containsExactlyElementsOf(want.stream().map(RunRecord::runId).toList());
  }

  private int count(RunQuery q) {
    return store.listRuns(P, q).runs().size();
  }

  @Test
  void stats_matchIndependentComputation() {
    Random random = new Random(11);
    List<RunRecord> runs = new ArrayList<>();
    List<StepRecord> steps = new ArrayList<>();
    List<Double> durations = new ArrayList<>();
    List<Double> llmDurations = new ArrayList<>();
    int failures = 0;
    for (int i = 0; i < 200; i++) {
      double d = Math.round(random.nextDouble() * 5000 * 1000) / 1000.0;
      boolean fail = i % 10 == 0;
      runs.add(fail ? failedRun("r" + i, "a", "v1", i * 10000, i * 10000 + d, "model", "rate_limited", null)
          : run("r" + i, "a", "v1", i * 10000, i * 10000 + d, RunStatus.SUCCESS));
      if (fail) failures++;
      durations.add(d);
      double ld = Math.round(random.nextDouble() * 900 * 1000) / 1000.0;
      llmDurations.add(ld);
      steps.add(llm(step("r" + i, "s" + i, 1, "llm", i * 10000, i * 10000 + ld, StepStatus.OK), "m", 10, 2, 0.001));
    }
    write(runs, steps);
    Stats s = store.stats(P, RunQuery.all());
    assertThat(s.runs().total()).isEqualTo(200);
    assertThat(s.runs().failure()).isEqualTo(failures);
    assertThat(s.errorRate()).isCloseTo(failures / 200.0, within(1e-12));
    assertThat(s.latencyMs().avg()).isCloseTo(durations.stream().mapToDouble(x -> x).average().orElseThrow(), within(1e-6));
    assertThat(s.latencyMs().p50()).isCloseTo(percentile(durations, 0.50), within(1e-6));
    assertThat(s.latencyMs().p95()).isCloseTo(percentile(durations, 0.95), within(1e-6));
    assertThat(s.latencyMs().p99()).isCloseTo(percentile(durations, 0.99), within(1e-6));
    assertThat(s.byStepType()).hasSize(1);
    assertThat(s.byStepType().get(0).p95Ms()).isCloseTo(percentile(llmDurations, 0.95), within(1e-6));
    assertThat(s.failures()).containsExactly(new Stats.FailureCount("model", "rate_limited", failures));
    assertThat(s.tokens()).isEqualTo(new Stats.Tokens(2000, 400));
    assertThat(s.costUsd()).isCloseTo(0.2, within(1e-9));
  }

  /** Continuous percentile with linear interpolation, as PostgreSQL's percentile_cont. */
  static double percentile(List<Double> values, double p) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    double pos = p * (v.size() - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return v.get(lo) + (v.get(hi) - v.get(lo)) * (pos - lo);
  }

  @Test
  void timeseries_bucketsAddUp() {
    List<RunRecord> runs = new ArrayList<>();
    for (int i = 0; i < 50; i++) runs.add(run("r" + i, "a", "v1", i * 60_000, i * 60_000 + 100.0, RunStatus.SUCCESS));
    write(runs, List.of());
    Timeseries t = store.timeseries(P, RunQuery.all(), 10);
    assertThat(t.points().stream().mapToLong(p -> p.runs().total()).sum()).isEqualTo(50);
    assertThat(t.bucketMs()).isPositive();
    assertThat(t.points().size()).isBetween(5, 11);
  }

  @Test
  void agents_listVersionsAndEnvironments() {
    write(List.of(run("r1", "a", "v1", 0, 1.0, RunStatus.SUCCESS), run("r2", "a", "v2", 10, 11.0, RunStatus.SUCCESS),
        run("r3", "b", "v1", 20, 21.0, RunStatus.SUCCESS)), List.of());
    List<AgentSummary> agents = store.agents(P);
    assertThat(agents).extracting(AgentSummary::agentId).containsExactly("a", "b");
    assertThat(agents.get(0).versions()).containsExactly("v1", "v2");
    assertThat(agents.get(0).runCount()).isEqualTo(2);
    assertThat(agents.get(0).lastSeen()).isEqualTo(Times.toInstant(at(10)));
  }

  @Test
  void projects_areIsolated() {
    store.putProject(new Project("other", "Other", ContentPolicy.FULL, Instant.EPOCH));
    store.write(List.of(batch("other", List.of(run("r1", "x", "v1", 0, 1.0, RunStatus.SUCCESS)), List.of()),
        batch(P, List.of(run("r1", "y", "v1", 0, 2.0, RunStatus.SUCCESS)), List.of())));
    assertThat(store.getRun("other", "r1").orElseThrow().run().agentId()).isEqualTo("x");
    assertThat(summary("r1").agentId()).isEqualTo("y");
    assertThat(store.stats("other", RunQuery.all()).runs().total()).isEqualTo(1);
    assertThat(store.project("other").orElseThrow().contentPolicy()).isEqualTo(ContentPolicy.FULL);
  }

  @Test
  void accounts_keysUsersSessions() {
    assertThat(store.hasApiKeys()).isFalse();
    ApiKey key = new ApiKey("pk-1", "hash-1", P, EnumSet.of(Scope.INGEST, Scope.READ), "ci", Instant.ofEpochSecond(5));
    store.putApiKey(key);
    assertThat(store.hasApiKeys()).isTrue();
    assertThat(store.apiKeyBySecretHash("hash-1")).contains(key);
    assertThat(store.apiKeyByPublicId("pk-1")).contains(key);
    assertThatThrownBy(() -> store.putApiKey(key)).isInstanceOf(RuntimeException.class);

    store.putUser(new User("admin", "h1", Instant.EPOCH));
    store.putUser(new User("admin", "h2", Instant.EPOCH));
    assertThat(store.user("admin").orElseThrow().passwordHash()).isEqualTo("h2");

    store.putSession(new Session("t1", "admin", Instant.ofEpochSecond(100)));
    assertThat(store.session("t1")).contains(new Session("t1", "admin", Instant.ofEpochSecond(100)));
    store.deleteSession("t1");
    assertThat(store.session("t1")).isEmpty();
  }

  /**
   * Whatever order and grouping the records of a random ingest sequence arrive in, every answer
   * from rollups equals the one computed from raw rows (percentiles: within the sketch's accuracy).
   */
  @Property(tries = 25)
  void rollups_answerAsRawRowsDo(@ForAll long seed) throws Exception {
    long now = Times.nowNanos();
    try (Store s = newSketchOnlyStore()) {
      s.migrate();
      s.putProject(new Project(P, P, ContentPolicy.METADATA_ONLY, Instant.EPOCH));
      RollupScenario scenario = RollupScenario.generate(seed, P, now);
      for (List<WriteBatch> call : scenario.writes) s.write(call);
      RollupCheck check = new RollupCheck(s, P);
      Random random = new Random(seed);
      for (RunQuery q : RollupCheck.queries(scenario, random)) {
        check.stats(q);
        check.timeseries(q, 1 + random.nextInt(120));
      }
      check.agents();
    }
  }

  /**
   * A half-open time range that cuts a minute bucket: the runs of that minute on the far side of the
   * cut do not make the range look non-empty, and the search for the range's first and last run goes
   * on past them.
   */
  @Test
  void rollups_rangeCuttingABucket_findsOnlyRunsInside() {
    long minute = Math.floorDiv(Times.nowNanos() - 600_000_000_000L, 60_000_000_000L) * 60_000_000_000L;
    double base = (minute - at(0)) / 1e6;
    write(List.of(run("early", "a", "v1", base + 50_000, base + 50_100, RunStatus.SUCCESS),
        run("late", "a", "v1", base + 180_000, base + 180_100, RunStatus.SUCCESS)), List.of());
    RollupCheck check = new RollupCheck(store, P);
    long sec = 1_000_000_000L;
    for (RunQuery q : List.of(range(null, minute + 45 * sec), range(minute + 55 * sec, null),
        range(minute + 55 * sec, minute + 190 * sec), range(null, minute + 51 * sec), range(minute + 10 * sec, null),
        range(minute + 51 * sec, minute + 181 * sec))) {
      for (int buckets : new int[] {1, 3, 60}) check.timeseries(q, buckets);
      check.stats(q);
    }
    assertThat(store.timeseries(P, range(null, minute + 45 * sec), 1).points()).isEmpty();
    assertThat(store.timeseries(P, range(minute + 55 * sec, null), 1).points().stream()
        .mapToLong(p -> p.runs().total()).sum()).isEqualTo(1);
  }

  private static RunQuery range(Long from, Long to) {
    return new RunQuery(null, null, null, null, null, null, null, List.of(), null, from, to, null, null,
        RunQuery.Sort.START_TIME, 1000, null);
  }

  @Test
  void retention_deletesOldRunsInBatches_whileStatsStillCountThem() {
    List<RunRecord> runs = new ArrayList<>();
    List<StepRecord> steps = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      double start = i * 3_600_000.0; // one run an hour
      runs.add(run("r" + i, "a", "v1", start, start + 100 + i, RunStatus.SUCCESS));
      steps.add(llm(step("r" + i, "s" + i, 1, "llm", start, start + 50, StepStatus.OK), "m", 10, 2, 0.001));
    }
    write(runs, steps);
    Stats before = store.stats(P, RunQuery.all());
    long cutoff = at(7 * 3_600_000.0);
    assertThat(store.expireRuns(P, cutoff, 3)).isEqualTo(3);
    assertThat(store.expireRuns(P, cutoff, 3)).isEqualTo(3);
    assertThat(store.expireRuns(P, cutoff, 3)).as("the last batch is short").isEqualTo(1);
    assertThat(store.expireRuns(P, cutoff, 3)).isZero();
    assertThat(store.getRun(P, "r6")).isEmpty();
    assertThat(store.getStep(P, "r6", "s6")).isEmpty();
    assertThat(store.getRun(P, "r7")).isPresent();
    RunPage page = store.listRuns(P, RunQuery.all());
    assertThat(page.runs()).hasSize(5);
    assertThat(page.rawDataFrom()).isEqualTo(Times.toInstant(cutoff));
    assertThat(store.rawDataFrom(P)).contains(Times.toInstant(cutoff));
    Stats after = store.stats(P, RunQuery.all());
    assertThat(after.runs()).isEqualTo(before.runs());
    assertThat(after.tokens()).isEqualTo(before.tokens());
    assertThat(after.latencyMs().avg()).isCloseTo(before.latencyMs().avg(), within(1e-9));
    assertThat(after.byStepType().get(0).count()).isEqualTo(12);
    assertThat(store.statsFromRows(P, RunQuery.all()).runs().total()).isEqualTo(5);
    assertThat(store.agents(P).get(0).runCount()).isEqualTo(12);

    // rollups older than their own cutoff go too: hour and day buckets that end by it
    long rollupCutoff = at(3 * 3_600_000.0);
    while (store.expireRollups(P, rollupCutoff, Long.MIN_VALUE, 2) > 0) {
      // small batches until none is left
    }
    Stats rolledUp = store.stats(P, new RunQuery(null, null, null, null, null, null, null, List.of(), null,
        rollupCutoff, null, null, null, RunQuery.Sort.START_TIME, 50, null));
    assertThat(rolledUp.runs().total()).isEqualTo(9);
    assertThat(store.stats(P, RunQuery.all()).runs().total()).as("the day bucket is not over yet").isEqualTo(12);
  }

  /** Rollups kept forever (no cutoff): a pass that expires old minute buckets leaves hours and days alone. */
  @Test
  void retention_rollupsKeptForever_surviveTheMinuteTierExpiry() {
    write(List.of(run("r1", "a", "v1", 0, 100.0, RunStatus.SUCCESS), run("r2", "a", "v1", 86_400_000, 86_400_100.0,
        RunStatus.FAILURE)), List.of());
    Stats before = store.stats(P, RunQuery.all());
    assertThat(before.runs().total()).isEqualTo(2);
    while (store.expireRollups(P, Long.MIN_VALUE, Times.nowNanos(), 100) > 0) {
      // every minute bucket up to now goes; hour and day buckets have no cutoff
    }
    assertThat(store.stats(P, RunQuery.all())).isEqualTo(before);
    assertThat(store.agents(P).get(0).runCount()).isEqualTo(2);
  }

  @Test
  void retention_aLateRecordOfADeletedRunIsNotCountedTwice() {
    List<RunRecord> runs = new ArrayList<>();
    List<StepRecord> steps = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      double start = i * 3_600_000.0;
      runs.add(run("r" + i, "a", "v1", start, start + 100, RunStatus.SUCCESS));
      steps.add(llm(step("r" + i, "s" + i, 1, "llm", start, start + 50, StepStatus.OK), "m", 10, 2, 0.001));
    }
    write(runs, steps);
    long cutoff = at(3 * 3_600_000.0);
    while (store.expireRuns(P, cutoff, 2) > 0) {
      // until r0, r1 and r2 are gone
    }
    Stats before = store.stats(P, RunQuery.all());
    assertThat(before.runs().total()).isEqualTo(6);

    // a late step of a deleted run, the deleted run sent again with its step, both in one write
    StepRecord late = llm(step("r1", "s1-late", 2, "llm", 3_600_060.0, 3_600_090.0, StepStatus.OK), "m", 5, 1, 0.5);
    store.write(List.of(batch(P, List.of(), List.of(late)), batch(P, List.of(runs.get(2)), List.of(steps.get(2)))));
    write(List.of(runs.get(0)), List.of());
    Stats after = store.stats(P, RunQuery.all());
    assertThat(after.runs()).isEqualTo(before.runs());
    assertThat(after.byStepType().get(0).count()).isEqualTo(6);
    assertThat(after.tokens()).isEqualTo(before.tokens());
    assertThat(after.costUsd()).isCloseTo(before.costUsd(), within(1e-9));
    assertThat(store.agents(P).get(0).runCount()).isEqualTo(6);
    for (String id : List.of("r0", "r1", "r2")) assertThat(store.getRun(P, id)).as(id).isEmpty();
    assertThat(store.listRuns(P, RunQuery.all()).runs()).extracting(RunSummary::runId)
        .containsExactly("r5", "r4", "r3");

    // records of kept runs and of runs after the cutoff are written as ever
    write(List.of(run("r6", "a", "v1", 6 * 3_600_000.0, 6 * 3_600_000.0 + 100, RunStatus.SUCCESS)),
        List.of(llm(step("r4", "s4-late", 2, "llm", 4 * 3_600_000.0 + 60, 4 * 3_600_000.0 + 90, StepStatus.OK),
            "m", 5, 1, 0.5)));
    Stats later = store.stats(P, RunQuery.all());
    assertThat(later.runs().total()).isEqualTo(7);
    assertThat(later.byStepType().get(0).count()).isEqualTo(7);
    assertThat(later.tokens().input()).isEqualTo(before.tokens().input() + 5);
    assertThat(store.getRun(P, "r4").orElseThrow().steps()).hasSize(2);
  }

  @Test
  void projectSecret_isCreatedOnceAndKept() {
    byte[] first = store.projectSecret(P, new byte[] {1, 2, 3});
    assertThat(first).containsExactly(1, 2, 3);
    assertThat(store.projectSecret(P, new byte[] {9, 9, 9})).containsExactly(1, 2, 3);
    assertThat(store.projectSecret("other", new byte[] {4})).containsExactly(4);
  }

  @Test
  void check_passesOnAHealthyStore() {
    store.check();
  }

  @Test
  void exportRuns_recordsWrittenBackGiveTheSameRunsAndSteps() {
    StepRecord plan = step("ex-1", "ex-1-a", 1, "plan", 0, 10, StepStatus.OK);
    StepRecord tool = withDetails(child(step("ex-1", "ex-1-b", 2, "tool", 10, 50, StepStatus.TIMEOUT), "ex-1-a"));
    StepRecord unordered = step("ex-2", "ex-2-a", 1, "llm", 100, 120, StepStatus.OK);
    write(List.of(failedRun("ex-1", "a", "v1", 0, 60, "tool", "timeout", "ex-1-b"),
        run("ex-2", "a", "v2", 100, 150.0, RunStatus.SUCCESS), run("ex-3", "b", "v1", 200, null, null)),
        List.of(plan, tool, llm(unordered, "gpt-4o", 10, 5, 0.01)));
    List<RunRecord> runs = new ArrayList<>();
    List<StepRecord> steps = new ArrayList<>();
    RecordSink sink = new RecordSink() {
      @Override
      public void run(RunRecord run) {
        runs.add(run);
      }

      @Override
      public void step(StepRecord step) {
        steps.add(step);
      }
    };
    store.exportRuns(P, RunQuery.all().withPage(1, null), sink);
    assertThat(runs).extracting(RunRecord::runId).containsExactly("ex-3", "ex-2", "ex-1");
    assertThat(steps).extracting(StepRecord::stepId).containsExactly("ex-2-a", "ex-1-a", "ex-1-b");
    Map<String, RunDetail> before = new java.util.HashMap<>();
    Map<String, StepDetail> stepsBefore = new java.util.HashMap<>();
    for (RunRecord r : runs) before.put(r.runId(), store.getRun(P, r.runId()).orElseThrow());
    for (StepRecord s : steps) stepsBefore.put(s.stepId(), store.getStep(P, s.runId(), s.stepId()).orElseThrow());

    reopen();
    write(runs, steps);
    for (RunRecord r : runs) assertThat(store.getRun(P, r.runId())).as(r.runId()).contains(before.get(r.runId()));
    for (StepRecord s : steps) {
      assertThat(store.getStep(P, s.runId(), s.stepId())).as(s.stepId()).contains(stepsBefore.get(s.stepId()));
    }

    List<String> failed = new ArrayList<>();
    store.exportRuns(P, new RunQuery(null, null, null, "failure", null, null, null, List.of(), null, null, null,
        null, null, RunQuery.Sort.START_TIME, 50, null), new RecordSink() {
          @Override
          public void run(RunRecord run) {
            failed.add(run.runId());
          }

          @Override
          public void step(StepRecord step) {}
        });
    assertThat(failed).containsExactly("ex-1");
    assertThat(store.exportRun(P, "nope", sink)).isFalse();
  }
}
