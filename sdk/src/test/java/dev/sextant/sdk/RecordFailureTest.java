package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which step {@code recordFailure(type, code, message)} points at, and how that step is marked, in
 * both modes and on the wire.
 */
@SuppressWarnings("try") // steps opened only to be current are the point
class RecordFailureTest {

  private final FakeClock clock = new FakeClock();
  private final CapturingExporter exporter = new CapturingExporter();
  private Sextant sextant;
  private FakeCollector collector;

  @AfterEach
  void tearDown() {
    if (sextant != null) {
      sextant.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  private Sextant.Builder async(Exporter to) {
    return Sextant.builder().agent("support-agent").exporter(to).clock(clock).shutdownHook(false)
        .flushInterval(Duration.ofHours(1)).environmentVariables(Map.of());
  }

  private static void contractExample(Run run) {
    try (Step step = run.step("tool", "billing_api")) {
      step.metadata("http_status", 504);
    }
    run.recordFailure("tool", "timeout", "External API timeout after 30s");
  }

  @Test
  void afterAnOkStep_theFailurePointsAtTheLastStepOfItsType_andMarksIt_inline() {
    sextant = TestSdk.inline(clock, exporter).build();
    try (Run run = sextant.startRun("handle_ticket")) {
      run.step("plan", "analyze_query").close();
      contractExample(run);
    }
    StepData step = exporter.step("billing_api");
    assertThat(exporter.lastRun().failure())
        .isEqualTo(new Failure("tool", "timeout", "External API timeout after 30s", step.stepId()));
    assertThat(step.status()).isEqualTo(StepStatus.TIMEOUT);
    assertThat(step.error()).isEqualTo(new StepError("tool", "timeout", "External API timeout after 30s"));
    assertThat(exporter.step("analyze_query").status()).isEqualTo(StepStatus.OK);
    assertThat(exporter.lastRun().status()).isEqualTo(RunStatus.FAILURE);
  }

  @Test
  void afterAnOkStep_theFailurePointsAtTheLastStepOfItsType_andMarksIt_async() {
    sextant = async(exporter).build();
    try (Run run = sextant.startRun("handle_ticket")) {
      contractExample(run);
    }
    assertThat(sextant.flush(Duration.ofSeconds(5))).isTrue();
    StepData step = exporter.step("billing_api");
    assertThat(exporter.lastRun().failure().stepId()).isEqualTo(step.stepId());
    assertThat(step.status()).isEqualTo(StepStatus.TIMEOUT);
    assertThat(step.error()).isEqualTo(new StepError("tool", "timeout", "External API timeout after 30s"));
  }

  @Test
  void aStepTheAsyncWorkerSentAlready_isStillPointedAt_butNotChanged() {
    sextant = async(exporter).build();
    try (Run run = sextant.startRun("handle_ticket")) {
      try (Step step = run.step("tool", "billing_api")) {
        step.metadata("http_status", 504);
      }
      assertThat(sextant.flush(Duration.ofSeconds(5))).isTrue();
      run.recordFailure("tool", "timeout", "External API timeout after 30s");
    }
    assertThat(sextant.flush(Duration.ofSeconds(5))).isTrue();
    StepData step = exporter.step("billing_api");
    assertThat(exporter.steps()).hasSize(1);
    assertThat(exporter.lastRun().failure().stepId()).isEqualTo(step.stepId());
    assertThat(step.status()).isEqualTo(StepStatus.OK);
    assertThat(step.error()).isNull();
  }

  /** The async search covers the queue and the last two batches sent, no further back. */
  @Test
  void aStepSentTwoBatchesAgo_isNotFound_async() {
    sextant = async(exporter).build();
    try (Run run = sextant.startRun("handle_ticket")) {
      try (Step step = run.step("tool", "billing_api")) {
        step.metadata("http_status", 504);
      }
      assertThat(sextant.flush(Duration.ofSeconds(5))).isTrue();
      for (int batch = 0; batch < 2; batch++) {
        try (Run other = sextant.startRun("other")) {
          other.step("plan", "p" + batch).close();
        }
        assertThat(sextant.flush(Duration.ofSeconds(5))).isTrue();
      }
      run.recordFailure("tool", "timeout", "External API timeout after 30s");
    }
    assertThat(sextant.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(exporter.lastRunNamed("handle_ticket").failure().stepId()).isNull();
  }

  @Test
  void failureTypes_pointAtStepsOfTheTypesThatMapToThem_theMostRecentlyEnded() {
    sextant = TestSdk.inline(clock, exporter).build();
    String[][] cases = {
        {"model", "llm"}, {"model", "embedding"}, {"model", "stream"},
        {"retrieval", "retrieval"}, {"retrieval", "rerank"},
        {"guardrail", "guardrail"},
        {"orchestration", "plan"}, {"orchestration", "agent"}, {"orchestration", "chain"},
        {"tool", "tool"}};
    for (String[] c : cases) {
      try (Run run = sextant.startRun(c[0] + "-" + c[1])) {
        run.step(c[1], "older").close();
        run.step(c[1], "match").close();
        run.step(c[0].equals("tool") ? "llm" : "tool", "other").close();
        run.recordFailure(c[0], "internal", "failed");
      }
      RunData run = exporter.lastRun();
      StepData match = exporter.batches.get(exporter.batches.size() - 1).steps().stream()
          .filter(s -> s.name().equals("match")).findFirst().orElseThrow();
      assertThat(run.failure().stepId()).as(c[0] + " -> " + c[1]).isEqualTo(match.stepId());
      assertThat(match.status()).isEqualTo(StepStatus.ERROR);
      assertThat(match.error()).isEqualTo(new StepError(c[0], "internal", "failed"));
    }
  }

  @Test
  void withoutAStepOfItsType_theFailurePointsAtNoStep_andNoStepChanges() {
    sextant = TestSdk.inline(clock, exporter).build();
    try (Run run = sextant.startRun("r")) {
      run.step("tool", "billing_api").close();
      run.recordFailure("guardrail", "blocked", "PII in output");
    }
    assertThat(exporter.lastRun().failure().stepId()).isNull();
    assertThat(exporter.step("billing_api").status()).isEqualTo(StepStatus.OK);

    try (Run run = sextant.startRun("r")) {
      run.step("tool", "search").close();
      run.recordFailure("unknown", "internal", "no idea");
    }
    assertThat(exporter.lastRun().failure().stepId()).isNull();
  }

  @Test
  void theCurrentStep_andThenTheLastFailedStep_stillComeFirst() {
    sextant = TestSdk.inline(clock, exporter).build();
    try (Run run = sextant.startRun("current")) {
      run.step("tool", "earlier_tool").close();
      try (Step llm = run.step("llm", "answer")) {
        run.recordFailure("tool", "timeout", "slow");
      }
    }
    assertThat(exporter.lastRun().failure().stepId()).isEqualTo(exporter.step("answer").stepId());
    assertThat(exporter.step("answer").status()).isEqualTo(StepStatus.TIMEOUT);
    assertThat(exporter.step("earlier_tool").status()).isEqualTo(StepStatus.OK);

    try (Run run = sextant.startRun("last-failed")) {
      run.step("retrieval", "search").error("retrieval", "empty_result", null).close();
      run.step("tool", "later_tool").close();
      run.recordFailure("tool", "timeout", "slow");
    }
    assertThat(exporter.lastRun().failure().stepId()).isEqualTo(exporter.step("search").stepId());
    assertThat(exporter.step("search").error()).isEqualTo(new StepError("retrieval", "empty_result", null));
    assertThat(exporter.step("later_tool").status()).isEqualTo(StepStatus.OK);
  }

  @Test
  void aStepWithAnErrorOfItsOwn_keepsIt() {
    sextant = TestSdk.inline(clock, exporter).build();
    try (Run run = sextant.startRun("r")) {
      Step tool = run.step("tool", "billing_api");
      tool.error("tool", "auth_failed", "401");
      tool.close();
      run.recordFailure("tool", "timeout", "slow", tool);
    }
    assertThat(exporter.lastRun().failure().stepId()).isEqualTo(exporter.step("billing_api").stepId());
    assertThat(exporter.step("billing_api").error()).isEqualTo(new StepError("tool", "auth_failed", "401"));
    assertThat(exporter.step("billing_api").status()).isEqualTo(StepStatus.ERROR);
  }

  @Test
  void anExplicitOkStep_isMarked() {
    sextant = TestSdk.inline(clock, exporter).build();
    try (Run run = sextant.startRun("r")) {
      Step tool = run.step("tool", "billing_api");
      tool.close();
      run.step("tool", "later").close();
      run.recordFailure("tool", "rate_limited", "429", tool);
    }
    assertThat(exporter.lastRun().failure().stepId()).isEqualTo(exporter.step("billing_api").stepId());
    assertThat(exporter.step("billing_api").status()).isEqualTo(StepStatus.ERROR);
    assertThat(exporter.step("billing_api").error().code()).isEqualTo("rate_limited");
    assertThat(exporter.step("later").status()).isEqualTo(StepStatus.OK);
  }

  @Test
  void onTheWire_async_theStepArrivesTimedOut_andTheFailureNamesIt() throws Exception {
    collector = new FakeCollector();
    sextant = Sextant.builder().agent("support-agent").endpoint(collector.endpoint()).clock(clock)
        .shutdownHook(false).flushInterval(Duration.ofHours(1)).environmentVariables(Map.of()).build();
    String stepId = contractOnTheWire();
    assertThat(sextant.flush(Duration.ofSeconds(10))).isTrue();
    assertWire(stepId);
  }

  @Test
  void onTheWire_inline_theStepArrivesTimedOut_andTheFailureNamesIt() throws Exception {
    collector = new FakeCollector();
    sextant = Sextant.builder().agent("support-agent").endpoint(collector.endpoint()).clock(clock)
        .mode(Sextant.Mode.INLINE).environmentVariables(Map.of()).build();
    String stepId = contractOnTheWire();
    assertWire(stepId);
  }

  private String contractOnTheWire() {
    String stepId;
    try (Run run = sextant.startRun("handle_ticket")) {
      try (Step step = run.step("tool", "billing_api")) {
        stepId = step.id();
        step.metadata("http_status", 504);
      }
      run.recordFailure("tool", "timeout", "External API timeout after 30s");
    }
    return stepId;
  }

  private void assertWire(String stepId) {
    String body = String.join("\n", collector.requests.stream().map(FakeCollector.Request::body).toList());
    Matcher step = Pattern.compile("\\{\"run_id\":\"[^\"]+\",\"step_id\":\"" + stepId + "\"[^\\n]*?\"metadata\"")
        .matcher(body);
    assertThat(step.find()).as(body).isTrue();
    assertThat(step.group())
        .contains("\"status\":\"timeout\"")
        .contains("\"error\":{\"type\":\"tool\",\"code\":\"timeout\",\"message\":\"External API timeout after 30s\"}");
    assertThat(body).contains("\"status\":\"failure\",\"failure\":{\"type\":\"tool\",\"code\":\"timeout\","
        + "\"message\":\"External API timeout after 30s\",\"step_id\":\"" + stepId + "\"}");
    assertThat(sextant.stats().failed()).isZero();
  }
}
