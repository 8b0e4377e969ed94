package dev.sextant.sdk.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.Stats;
import dev.sextant.sdk.Step;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // steps opened only to nest others are the point
class OtelExporterTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();

  @AfterEach
  void close() {
    provider.close();
  }

  private Sextant.Builder sdk(OtelExporter exporter) {
    return Sextant.builder().agent("support-agent").agentVersion("v1.0.0").environment("test")
        .exporter(exporter).shutdownHook(false);
  }

  private SpanData span(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  private static String attr(SpanData span, String key) {
    Object value = span.getAttributes().get(AttributeKey.stringKey(key));
    return value == null ? null : value.toString();
  }

  private static Long longAttr(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.longKey(key));
  }

  @Test
  void aRun_becomesARootSpanWithNestedStepSpans_andGenAiAttributes() throws Exception {
    OtelExporter exporter = OtelExporter.create(provider.get("sextant"));
    Sextant sextant = sdk(exporter).mode(Sextant.Mode.INLINE).build();
    String runId;
    String firstAttempt;
    try (Run run = sextant.startRun("handle_ticket")) {
      runId = run.id();
      run.sessionId("conv-42").label("team", "billing").metadata("priority", "high");
      try (Step agent = run.step("agent", "resolve")) {
        int[] calls = {0};
        run.retry("tool", "billing_api", 2, step -> {
          if (++calls[0] == 1) {
            throw new IOException("HTTP 503");
          }
          return null;
        });
        try (Step llm = run.stream("generate_answer")) {
          llm.model("gpt-4o-mini").provider("openai").tokens(512, 128).costUsd(0.0031);
          llm.emit("chunk", Map.of("index", 0));
        }
      }
      run.recordFailure("tool", "timeout", "billing_api timed out");
    }
    sextant.close();

    List<SpanData> all = spans.getFinishedSpanItems();
    assertThat(all).hasSize(5);
    SpanData root = span("handle_ticket");
    assertThat(root.getParentSpanContext().isValid()).isFalse();
    assertThat(all).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(root.getTraceId()));
    assertThat(attr(root, "sextant.run.id")).isEqualTo(runId);
    assertThat(attr(root, "sextant.agent.id")).isEqualTo("support-agent");
    assertThat(attr(root, "sextant.agent.version")).isEqualTo("v1.0.0");
    assertThat(attr(root, "sextant.environment")).isEqualTo("test");
    assertThat(attr(root, "sextant.session.id")).isEqualTo("conv-42");
    assertThat(attr(root, "gen_ai.conversation.id")).isEqualTo("conv-42");
    assertThat(attr(root, "gen_ai.operation.name")).isEqualTo("invoke_agent");
    assertThat(attr(root, "sextant.label.team")).isEqualTo("billing");
    assertThat(attr(root, "sextant.metadata.priority")).isEqualTo("high");
    assertThat(attr(root, "sextant.run.status")).isEqualTo("failure");
    assertThat(attr(root, "sextant.failure.type")).isEqualTo("tool");
    assertThat(attr(root, "sextant.failure.code")).isEqualTo("timeout");
    assertThat(root.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);

    SpanData agent = span("resolve");
    assertThat(agent.getParentSpanId()).isEqualTo(root.getSpanId());
    List<SpanData> attempts = all.stream().filter(s -> s.getName().equals("billing_api"))
        .sorted((a, b) -> Long.compare(longAttr(a, "sextant.attempt"), longAttr(b, "sextant.attempt"))).toList();
    assertThat(attempts).hasSize(2);
    assertThat(attempts).allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(agent.getSpanId()));
    firstAttempt = attr(attempts.get(0), "sextant.step.id");
    assertThat(attr(attempts.get(1), "sextant.retry_of")).isEqualTo(firstAttempt);
    assertThat(attr(attempts.get(0), "sextant.step.status")).isEqualTo("error");
    assertThat(attr(attempts.get(0), "sextant.failure.type")).isEqualTo("tool");
    assertThat(attr(attempts.get(0), "sextant.failure.code")).isEqualTo("internal");
    assertThat(attr(attempts.get(0), "gen_ai.operation.name")).isEqualTo("execute_tool");
    assertThat(attr(attempts.get(0), "gen_ai.tool.name")).isEqualTo("billing_api");
    assertThat(attempts.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attempts.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

    SpanData llm = span("generate_answer");
    assertThat(llm.getParentSpanId()).isEqualTo(agent.getSpanId());
    assertThat(llm.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(attr(llm, "sextant.step.type")).isEqualTo("stream");
    assertThat(longAttr(llm, "sextant.step.seq")).isEqualTo(4L);
    assertThat(attr(llm, "gen_ai.request.model")).isEqualTo("gpt-4o-mini");
    assertThat(attr(llm, "gen_ai.provider.name")).isEqualTo("openai");
    assertThat(longAttr(llm, "gen_ai.usage.input_tokens")).isEqualTo(512L);
    assertThat(longAttr(llm, "gen_ai.usage.output_tokens")).isEqualTo(128L);
    assertThat(llm.getAttributes().get(AttributeKey.doubleKey("sextant.cost_usd"))).isEqualTo(0.0031);
    assertThat(llm.getEvents()).hasSize(1);
    assertThat(llm.getEvents().get(0).getName()).isEqualTo("chunk");
    assertThat(llm.getEvents().get(0).getAttributes().get(AttributeKey.longKey("index"))).isEqualTo(0L);
    assertThat(llm.getStartEpochNanos()).isGreaterThanOrEqualTo(agent.getStartEpochNanos());
    assertThat(llm.getEndEpochNanos()).isLessThanOrEqualTo(agent.getEndEpochNanos());
  }

  @Test
  void asyncMode_stepsArriveBeforeTheirRun_andAreWrittenWhenItEnds() {
    OtelExporter exporter = OtelExporter.create(provider.get("sextant"));
    Sextant sextant = sdk(exporter).maxBatchSize(1).build();
    try (Run run = sextant.startRun("r")) {
      try (Step outer = run.step("plan", "outer")) {
        run.step("tool", "inner").close();
      }
      sextant.flush(Duration.ofSeconds(5));
      assertThat(spans.getFinishedSpanItems()).isEmpty();
    }
    sextant.flush(Duration.ofSeconds(5));
    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactlyInAnyOrder("r", "outer", "inner");
    assertThat(span("inner").getParentSpanId()).isEqualTo(span("outer").getSpanId());
    sextant.close();
  }

  @Test
  void aStepEndingAfterItsRunWasWritten_becomesAChildOfTheRunSpan() {
    OtelExporter exporter = OtelExporter.create(provider.get("sextant"));
    Sextant sextant = sdk(exporter).mode(Sextant.Mode.INLINE).build();
    Run run = sextant.startRun("r");
    Step late = run.step("tool", "late");
    run.close();
    late.close();
    sextant.close();
    assertThat(span("late").getParentSpanId()).isEqualTo(span("r").getSpanId());
  }

  @Test
  void theBufferIsBounded_oldestOpenRunIsWrittenAsItIs_andExtraStepsAreCounted() {
    OtelExporter exporter = OtelExporter.builder(provider.get("sextant")).maxBufferedRuns(1).maxStepsPerRun(2).build();
    Sextant sextant = sdk(exporter).maxBatchSize(1).build();
    Run first = sextant.startRun("first");
    for (int i = 0; i < 3; i++) {
      first.step("tool", "t" + i).close();
    }
    sextant.flush(Duration.ofSeconds(5));
    Run second = sextant.startRun("second");
    second.step("tool", "s").close();
    sextant.flush(Duration.ofSeconds(5));
    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactlyInAnyOrder("first", "t0", "t1");
    assertThat(exporter.droppedSteps()).isEqualTo(1);
    second.close();
    first.close();
    sextant.close();
    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName)
        .containsExactlyInAnyOrder("first", "t0", "t1", "second", "s");
  }

  @Test
  void stepsOverTheLimit_countAsDroppedInTheSdkStats_notAsExported() {
    OtelExporter exporter = OtelExporter.builder(provider.get("sextant")).maxStepsPerRun(2).build();
    Sextant sextant = sdk(exporter).mode(Sextant.Mode.INLINE).build();
    try (Run run = sextant.startRun("r")) {
      for (int i = 0; i < 3; i++) {
        run.step("tool", "t" + i).close();
      }
    }
    sextant.close();
    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactlyInAnyOrder("r", "t0", "t1");
    assertThat(exporter.droppedSteps()).isEqualTo(1);
    Stats stats = sextant.stats();
    assertThat(stats.produced()).isEqualTo(4);
    assertThat(stats.exported()).isEqualTo(3);
    assertThat(stats.dropped()).isEqualTo(1);
    assertThat(stats.exported() + stats.dropped() + stats.failed()).isEqualTo(stats.produced());
  }

  @Test
  void stepsOverTheLimit_countAsDropped_inAsyncModeToo() {
    OtelExporter exporter = OtelExporter.builder(provider.get("sextant")).maxStepsPerRun(2).build();
    Sextant sextant = sdk(exporter).maxBatchSize(1).build();
    try (Run run = sextant.startRun("r")) {
      for (int i = 0; i < 3; i++) {
        run.step("tool", "t" + i).close();
      }
    }
    sextant.close();
    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactlyInAnyOrder("r", "t0", "t1");
    Stats stats = sextant.stats();
    assertThat(stats.dropped()).isEqualTo(1);
    assertThat(stats.exported()).isEqualTo(stats.produced() - 1);
  }

  @Test
  void aFailedStepOverTheLimit_takesThePlaceOfOneThatDidNotFail_soTheFailureKeepsItsStep() {
    OtelExporter exporter = OtelExporter.builder(provider.get("sextant")).maxStepsPerRun(2).build();
    Sextant sextant = sdk(exporter).mode(Sextant.Mode.INLINE).build();
    String failingId;
    try (Run run = sextant.startRun("r")) {
      run.step("plan", "ok0").close();
      run.step("llm", "ok1").close();
      try (Step tool = run.step("tool", "billing_api")) {
        failingId = tool.id();
        tool.metadata("http_status", 504);
      }
      run.recordFailure("tool", "timeout", "External API timeout after 30s");
    }
    sextant.close();
    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName)
        .containsExactlyInAnyOrder("r", "ok0", "billing_api");
    SpanData root = span("r");
    assertThat(attr(root, "sextant.failure.step_id")).isEqualTo(failingId);
    assertThat(attr(span("billing_api"), "sextant.step.id")).isEqualTo(failingId);
    assertThat(attr(span("billing_api"), "sextant.step.status")).isEqualTo("timeout");
    assertThat(exporter.droppedSteps()).isEqualTo(1);
    assertThat(sextant.stats().dropped()).isEqualTo(1);
  }

  @Test
  void aFailureWhoseStepWasDropped_doesNotNameIt() {
    OtelExporter exporter = OtelExporter.builder(provider.get("sextant")).maxStepsPerRun(1).build();
    Sextant sextant = sdk(exporter).mode(Sextant.Mode.INLINE).build();
    try (Run run = sextant.startRun("r")) {
      run.step("tool", "first").error("tool", "internal", "boom").close();
      Step second = run.step("tool", "second");
      second.error("tool", "timeout", "slow");
      second.close();
      run.recordFailure("tool", "timeout", "gave up", second);
    }
    sextant.close();
    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactlyInAnyOrder("r", "first");
    SpanData root = span("r");
    assertThat(attr(root, "sextant.failure.step_id")).isNull();
    assertThat(attr(root, "sextant.failure.type")).isEqualTo("tool");
    assertThat(attr(root, "sextant.failure.code")).isEqualTo("timeout");
    assertThat(sextant.stats().dropped()).isEqualTo(1);
  }

  @Test
  void close_writesRunsThatNeverEnded() {
    OtelExporter exporter = OtelExporter.create(provider.get("sextant"));
    Sextant sextant = sdk(exporter).build();
    Run open = sextant.startRun("never_closed");
    open.step("tool", "t").close();
    sextant.close();
    SpanData root = span("never_closed");
    assertThat(attr(root, "sextant.run.status")).isEqualTo("running");
    assertThat(span("t").getParentSpanId()).isEqualTo(root.getSpanId());
  }

  @Test
  void aTracerIsRequired() {
    assertThatThrownBy(() -> OtelExporter.create(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tracer is required");
  }
}
