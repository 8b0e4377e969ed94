package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The SDK never sends a value the server rejects for its length or count (docs/configuration.md, Limits). */
class LimitsTest {

  private static final String LONG = "n".repeat(300);
  private static final Pattern SERVER_ID = Pattern.compile("^[\\x21-\\x7e]{1,128}$");

  private final FakeClock clock = new FakeClock();
  private final CapturingExporter exporter = new CapturingExporter();

  @Test
  void maxEventsPerStep_isLoweredToTheServersLimitOf10000_withAWarning() {
    try (LogCapture log = new LogCapture()) {
      Sextant sextant = TestSdk.inline(clock, exporter).maxEventsPerStep(1_000_000).build();
      assertThat(sextant.config.maxEventsPerStep()).isEqualTo(10_000);
      assertThat(log.all()).contains("maxEventsPerStep must be at most 10000, got 1000000; using 10000");
      try (Run run = sextant.startRun("r")) {
        try (Step stream = run.stream("answer")) {
          for (int i = 0; i < 10_001; i++) {
            stream.emit("chunk");
          }
        }
      }
      assertThat(exporter.step("answer").events()).hasSize(10_000);
      assertThat(exporter.step("answer").eventsDropped()).isEqualTo(1);
    }
    assertThat(TestSdk.inline(clock, exporter).maxEventsPerStep(10_000).build().config.maxEventsPerStep())
        .isEqualTo(10_000);
  }

  @Test
  void agentVersionAndEnvironment_fromTheBuilder_areCutTo256_countedAndLogged() {
    try (LogCapture log = new LogCapture()) {
      Sextant sextant = TestSdk.inline(clock, exporter)
          .agent("a".repeat(257)).agentVersion("v".repeat(300)).environment("e".repeat(1000)).build();
      assertThat(sextant.config.agentId()).isEqualTo("a".repeat(256));
      assertThat(sextant.config.agentVersion()).isEqualTo("v".repeat(256));
      assertThat(sextant.config.environment()).isEqualTo("e".repeat(256));
      assertThat(sextant.stats().rejectedValues()).isEqualTo(3);
      assertThat(log.all())
          .contains("agent id 'aaaa").contains("agent version 'vvvv").contains("environment 'eeee")
          .contains("has 257 characters, more than the 256 the server accepts; it was cut to 256");
      sextant.startRun("r").close();
      assertThat(exporter.lastRun().agentId()).hasSize(256);
      assertThat(exporter.lastRun().agentVersion()).hasSize(256);
      assertThat(exporter.lastRun().environment()).hasSize(256);
    }
  }

  @Test
  void agentVersionAndEnvironment_fromTheEnvironment_areCutTo256_andCounted() {
    Sextant sextant = Sextant.builder().mode(Sextant.Mode.INLINE).exporter(exporter)
        .environmentVariables(Map.of(
            "SEXTANT_AGENT_ID", "a".repeat(300),
            "SEXTANT_AGENT_VERSION", "v".repeat(300),
            "SEXTANT_ENVIRONMENT", "e".repeat(256)))
        .build();
    assertThat(sextant.config.agentId()).hasSize(256);
    assertThat(sextant.config.agentVersion()).hasSize(256);
    assertThat(sextant.config.environment()).hasSize(256);
    assertThat(sextant.stats().rejectedValues()).isEqualTo(2);
  }

  @Test
  void runAndStepTexts_areCutTo256_countedAndLogged() {
    try (LogCapture log = new LogCapture()) {
      Sextant sextant = TestSdk.inline(clock, exporter).build();
      try (Run run = sextant.startRun("run-" + LONG)) {
        run.sessionId("conv-" + LONG);
        try (Step step = run.step("llm", "step-" + LONG)) {
          step.model("model-" + LONG).provider("provider-" + LONG).emit("event-" + LONG);
        }
      }
      RunData run = exporter.lastRun();
      StepData step = exporter.steps().get(0);
      assertThat(run.name()).hasSize(256).startsWith("run-");
      assertThat(run.sessionId()).hasSize(256).startsWith("conv-");
      assertThat(step.name()).hasSize(256).startsWith("step-");
      assertThat(step.model()).hasSize(256).startsWith("model-");
      assertThat(step.provider()).hasSize(256).startsWith("provider-");
      assertThat(step.events().get(0).name()).hasSize(256).startsWith("event-");
      assertThat(sextant.stats().rejectedValues()).isEqualTo(6);
      assertThat(log.all()).contains("run name 'run-nnn").contains("session id 'conv-nnn")
          .contains("step name 'step-nnn").contains("model 'model-nnn").contains("provider 'provider-nnn")
          .contains("event name 'event-nnn");
    }
  }

  @Test
  void textsAt256_areKept_andNotCounted() {
    Sextant sextant = TestSdk.inline(clock, exporter).build();
    String exact = "x".repeat(256);
    try (Run run = sextant.startRun(exact)) {
      run.sessionId(exact);
      run.step("llm", exact).model(exact).close();
    }
    assertThat(exporter.lastRun().name()).isEqualTo(exact);
    assertThat(exporter.steps().get(0).model()).isEqualTo(exact);
    assertThat(sextant.stats().rejectedValues()).isZero();
  }

  @Test
  void aCut_neverSplitsASurrogatePair() {
    Sextant sextant = TestSdk.inline(clock, exporter).build();
    String name = "a".repeat(255) + "\uD83D\uDE00"; // 257 UTF-16 characters, the last two one emoji
    try (Run run = sextant.startRun("r")) {
      run.step("tool", name).close();
    }
    assertThat(exporter.steps().get(0).name()).isEqualTo("a".repeat(255));
    assertThat(Values.truncate("ab\uD83D\uDE00", 3)).isEqualTo("ab");
    assertThat(Values.truncate("ab\uD83D\uDE00", 4)).isEqualTo("ab\uD83D\uDE00");
  }

  @Test
  void stepTypesAndCodes_areCutTo64_countedAndLogged() {
    try (LogCapture log = new LogCapture()) {
      Sextant sextant = TestSdk.inline(clock, exporter).build();
      try (Run run = sextant.startRun("r")) {
        try (Step step = run.step("t".repeat(100), "s")) {
          step.error("tool", "e".repeat(300), "boom");
        }
        run.recordFailure("tool", "f".repeat(100), "boom");
      }
      StepData step = exporter.step("s");
      assertThat(step.type()).isEqualTo("t".repeat(64));
      assertThat(step.error().code()).isEqualTo("e".repeat(64));
      assertThat(exporter.lastRun().failure().code()).isEqualTo("f".repeat(64));
      assertThat(sextant.stats().rejectedValues()).isEqualTo(3);
      assertThat(log.all())
          .contains("step type 'tttt").contains("has 100 characters, more than the 64 allowed; it was cut to 64")
          .contains("failure code 'eeee");
    }
  }

  @Test
  void ids_arePrintableAsciiOfAtMost128Characters() {
    Sextant sextant = TestSdk.inline(clock, exporter).build();
    try (Run run = sextant.startRun("r")) {
      Step parent = run.step("agent", "a");
      Step first = run.step("tool", "t");
      first.error("tool", "timeout", "slow");
      first.close();
      run.step("tool", "t").retryOf(first).close();
      parent.close();
      run.recordFailure("tool", "timeout", "slow", first);
    }
    RunData run = exporter.lastRun();
    assertThat(run.runId()).matches(SERVER_ID);
    assertThat(run.failure().stepId()).matches(SERVER_ID);
    for (StepData step : exporter.steps()) {
      assertThat(step.runId()).matches(SERVER_ID);
      assertThat(step.stepId()).matches(SERVER_ID);
      if (step.parentStepId() != null) {
        assertThat(step.parentStepId()).matches(SERVER_ID);
      }
      if (step.retryOf() != null) {
        assertThat(step.retryOf()).matches(SERVER_ID);
      }
    }
  }
}
