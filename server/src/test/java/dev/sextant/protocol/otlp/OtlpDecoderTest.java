package dev.sextant.protocol.otlp;

import static dev.sextant.protocol.otlp.OtlpFixtures.LLM;
import static dev.sextant.protocol.otlp.OtlpFixtures.RETRIEVER;
import static dev.sextant.protocol.otlp.OtlpFixtures.ROOT;
import static dev.sextant.protocol.otlp.OtlpFixtures.T0;
import static dev.sextant.protocol.otlp.OtlpFixtures.TASK;
import static dev.sextant.protocol.otlp.OtlpFixtures.TOOL;
import static dev.sextant.protocol.otlp.OtlpFixtures.TRACE;
import static dev.sextant.protocol.otlp.OtlpFixtures.kv;
import static dev.sextant.protocol.otlp.OtlpFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.Batch;
import dev.sextant.model.Limits;
import dev.sextant.model.Position;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.protocol.BadRequest;
import dev.sextant.protocol.otlp.OtlpFixtures.Style;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpDecoderTest {
  private final OtlpDecoder decoder = new OtlpDecoder(Limits.DEFAULT);

  private Batch<Position> proto(ExportTraceServiceRequest r) {
    return decoder.decodeProtobuf(new ByteArrayInputStream(r.toByteArray()));
  }

  private Batch<Position> json(String s) {
    return decoder.decodeJson(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static StepRecord step(Batch<Position> b, String id) {
    return b.stepRecords().stream().filter(s -> s.stepId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void protobufAndEveryJsonSpelling_giveIdenticalRecords() {
    ExportTraceServiceRequest r = OtlpFixtures.agentRun();
    Batch<Position> fromProto = proto(r);
    for (Style style : List.of(Style.SPEC, new Style(true, false, true, false), new Style(false, false, false, true),
        new Style(true, true, true, true))) {
      Batch<Position> fromJson = json(OtlpFixtures.json(r, style));
      assertThat(fromJson).as("JSON spelled as %s", style).isEqualTo(fromProto);
    }
    assertThat(fromProto.errors()).isEmpty();
    assertThat(fromProto.stepRecords()).hasSize(5);
  }

  @Test
  void traceBecomesRun_rootNamesItAndResourceNamesTheAgent() {
    Batch<Position> b = proto(OtlpFixtures.agentRun());
    assertThat(b.runRecords()).hasSize(1);
    RunRecord run = b.runRecords().get(0);
    assertThat(run.runId()).isEqualTo(TRACE);
    assertThat(run.agentId()).isEqualTo("support-agent");
    assertThat(run.agentVersion()).isEqualTo("v1.2.0");
    assertThat(run.environment()).isEqualTo("production");
    assertThat(run.name()).isEqualTo("invoke_agent support");
    assertThat(run.sessionId()).isEqualTo("conv-42");
    assertThat(run.startNanos()).isEqualTo(T0);
    assertThat(run.endNanos()).isEqualTo(T0 + 2_500_000_000L);
    assertThat(run.status()).isEqualTo(RunStatus.FAILURE);
    // the root only says that the run failed: a provisional failure naming the root, whose cause
    // step the store names from every stored span
    assertThat(run.failure().inferred()).isTrue();
    assertThat(run.failure().type()).isEqualTo("orchestration");
    assertThat(run.failure().stepId()).isEqualTo(ROOT);
    assertThat(run.metadata().get("host.name").asText()).isEqualTo("worker-1");
  }

  @Test
  void genAiChatSpan_becomesLlmStepWithModelTokensAndContent() {
    StepRecord s = step(proto(OtlpFixtures.agentRun()), LLM);
    assertThat(s.runId()).isEqualTo(TRACE);
    assertThat(s.parentStepId()).isEqualTo(ROOT);
    assertThat(s.type()).isEqualTo("llm");
    assertThat(s.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(s.provider()).isEqualTo("openai");
    assertThat(s.inputTokens()).isEqualTo(12);
    assertThat(s.outputTokens()).isEqualTo(7);
    assertThat(s.cacheReadTokens()).isEqualTo(4);
    assertThat(s.timeToFirstTokenMs()).isEqualTo(250.0);
    assertThat(s.status()).isEqualTo(StepStatus.OK);
    assertThat(s.normalization()).containsEntry("type", "gen_ai.operation.name=chat")
        .containsEntry("model", "gen_ai.response.model").containsEntry("input_tokens", "gen_ai.usage.input_tokens")
        .containsEntry("output", "span events");
    assertThat(s.input().get(0).get("role").asText()).isEqualTo("user");
    assertThat(s.output().get(0).get("parts").get(0).get("content").asText()).isEqualTo("checking");
    assertThat(s.metadata().has("gen_ai.input.messages")).isFalse();
    assertThat(s.metadata().get("gen_ai.request.temperature").asDouble()).isEqualTo(0.2);
    assertThat(s.metadata().get("gen_ai.response.finish_reasons").get(0).asText()).isEqualTo("stop");
    assertThat(s.metadata().get("otel.span.kind").asText()).isEqualTo("client");
    assertThat(s.metadata().get("otel.scope.name").asText()).isEqualTo("test-agent");
    // the details event keeps its name and time; its content moved to output
    assertThat(s.events()).hasSize(1);
    assertThat(s.events().get(0).attributes().isEmpty()).isTrue();
  }

  @Test
  void failedToolSpan_givesErrorTypeCodeAndMessageOnlyAsContent() {
    StepRecord s = step(proto(OtlpFixtures.agentRun()), TOOL);
    assertThat(s.type()).isEqualTo("tool");
    assertThat(s.status()).isEqualTo(StepStatus.TIMEOUT);
    assertThat(s.error().type()).isEqualTo("tool");
    assertThat(s.error().code()).isEqualTo("timeout");
    assertThat(s.error().message()).isEqualTo("read timed out");
    assertThat(s.normalization()).containsEntry("error.code", "error.type=java.net.SocketTimeoutException")
        .containsEntry("status", "status.code=ERROR");
    assertThat(s.metadata().get("gen_ai.tool.name").asText()).isEqualTo("billing_api");
    assertThat(s.metadata().get("error.type").asText()).isEqualTo("java.net.SocketTimeoutException");
    assertThat(s.metadata().get("tool.config").get("retries").asInt()).isEqualTo(2);
    assertThat(s.events().get(0).name()).isEqualTo("exception");
    assertThat(s.events().get(0).attributes().has("exception.message")).isFalse();
    assertThat(s.events().get(0).attributes().get("exception.type").asText()).isEqualTo("java.net.SocketTimeoutException");
  }

  @Test
  void openInferenceAndTraceloopSpans_mapTheirKindsAndContent() {
    Batch<Position> b = proto(OtlpFixtures.agentRun());
    StepRecord r = step(b, RETRIEVER);
    assertThat(r.type()).isEqualTo("retriever");
    assertThat(r.normalization()).containsEntry("type", "openinference.span.kind=RETRIEVER");
    assertThat(r.input().asText()).isEqualTo("refund policy");
    assertThat(r.output().get(0).get("document").get("id").asText()).isEqualTo("doc-1");
    assertThat(r.output().get(1).get("document").get("id").asText()).isEqualTo("doc-2");
    assertThat(r.metadata().fieldNames()).toIterable().noneMatch(k -> k.startsWith("retrieval.documents"));
    StepRecord t = step(b, TASK);
    assertThat(t.type()).isEqualTo("chain");
    assertThat(t.input().get("goal").asText()).isEqualTo("refund");
    assertThat(t.output().get("steps").get(1).asText()).isEqualTo("bill");
    assertThat(t.metadata().get("traceloop.entity.name").asText()).isEqualTo("plan");
  }

  @Test
  void rootArrivingAlone_completesTheRun_childAloneOnlyCreatesIt() {
    ExportTraceServiceRequest all = OtlpFixtures.agentRun();
    ScopeSpans ss = all.getResourceSpans(0).getScopeSpans(0);
    ExportTraceServiceRequest childOnly = all.toBuilder().setResourceSpans(0, all.getResourceSpans(0).toBuilder()
        .setScopeSpans(0, ss.toBuilder().clearSpans().addSpans(ss.getSpans(1)))).build();
    RunRecord partial = proto(childOnly).runRecords().get(0);
    assertThat(partial.runId()).isEqualTo(TRACE);
    assertThat(partial.agentId()).isEqualTo("support-agent");
    assertThat(partial.name()).isNull();
    assertThat(partial.startNanos()).isNull();
    assertThat(partial.status()).isNull();
  }

  @Test
  void sextantAttributes_winOverEveryDialect() {
    ExportTraceServiceRequest r = request(span(ROOT, null, "agent", 0, 100)
        .addAttributes(kv("sextant.step.type", "plan"))
        .addAttributes(kv("openinference.span.kind", "LLM"))
        .addAttributes(kv("sextant.step.seq", 3))
        .addAttributes(kv("sextant.attempt", 2))
        .addAttributes(kv("sextant.retry_of", "step-1"))
        .addAttributes(kv("sextant.run.id", "run-7"))
        .addAttributes(kv("sextant.agent.id", "planner"))
        .addAttributes(kv("sextant.agent.version", "v9"))
        .addAttributes(kv("sextant.environment", "staging"))
        .addAttributes(kv("sextant.session.id", "s-1"))
        .addAttributes(kv("session.id", "other"))
        .addAttributes(kv("sextant.failure.type", "orchestration"))
        .addAttributes(kv("sextant.failure.code", "max_iterations"))
        .build());
    Batch<Position> b = proto(r);
    StepRecord s = b.stepRecords().get(0);
    assertThat(s.type()).isEqualTo("plan");
    assertThat(s.seq()).isEqualTo(3);
    assertThat(s.attempt()).isEqualTo(2);
    assertThat(s.retryOf()).isEqualTo("step-1");
    assertThat(s.runId()).isEqualTo("run-7");
    assertThat(s.status()).isEqualTo(StepStatus.ERROR);
    assertThat(s.error().type()).isEqualTo("orchestration");
    assertThat(s.error().code()).isEqualTo("max_iterations");
    RunRecord run = b.runRecords().get(0);
    assertThat(run.runId()).isEqualTo("run-7");
    assertThat(run.agentId()).isEqualTo("planner");
    assertThat(run.agentVersion()).isEqualTo("v9");
    assertThat(run.environment()).isEqualTo("staging");
    assertThat(run.sessionId()).isEqualTo("s-1");
    assertThat(run.failure().type()).isEqualTo("orchestration");
    assertThat(run.failure().code()).isEqualTo("max_iterations");
    // stated, without a step: the store names the cause step
    assertThat(run.failure().inferred()).isFalse();
    assertThat(run.failure().stepId()).isNull();
    assertThat(s.metadata().get("session.id").asText()).isEqualTo("other");
  }

  @Test
  void langfuseAttributes_mapTypeModelUsageCostLevelAndTrace() {
    ExportTraceServiceRequest r = request(span(LLM, ROOT, "llm-call", 0, 100)
        .addAttributes(kv("langfuse.observation.type", "generation"))
        .addAttributes(kv("langfuse.observation.model.name", "gpt-test"))
        .addAttributes(kv("langfuse.observation.input", "[{\"role\":\"user\",\"content\":\"hi\"}]"))
        .addAttributes(kv("langfuse.observation.output", "{\"role\":\"assistant\",\"content\":\"hello\"}"))
        .addAttributes(kv("langfuse.observation.usage_details", "{\"input\":5,\"output\":2,\"cache_read_input_tokens\":1}"))
        .addAttributes(kv("langfuse.observation.cost_details", "{\"input\":0.001,\"output\":0.002}"))
        .addAttributes(kv("langfuse.observation.completion_start_time", "\"2026-11-22T03:22:35.330Z\""))
        .addAttributes(kv("langfuse.observation.level", "ERROR"))
        .addAttributes(kv("langfuse.observation.status_message", "content filter"))
        .addAttributes(kv("langfuse.session.id", "sess-1"))
        .addAttributes(kv("langfuse.user.id", "user-1"))
        .addAttributes(kv("langfuse.trace.name", "chat-trace"))
        .addAttributes(kv("langfuse.environment", "dev"))
        .build());
    Batch<Position> b = proto(r);
    StepRecord s = b.stepRecords().get(0);
    assertThat(s.type()).isEqualTo("llm");
    assertThat(s.model()).isEqualTo("gpt-test");
    assertThat(s.inputTokens()).isEqualTo(5);
    assertThat(s.outputTokens()).isEqualTo(2);
    assertThat(s.cacheReadTokens()).isEqualTo(1);
    assertThat(s.costUsd()).isCloseTo(0.003, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(s.timeToFirstTokenMs()).isEqualTo(20.0);
    assertThat(s.status()).isEqualTo(StepStatus.ERROR);
    assertThat(s.error().message()).isEqualTo("content filter");
    assertThat(s.input().get(0).get("content").asText()).isEqualTo("hi");
    assertThat(s.output().get("content").asText()).isEqualTo("hello");
    assertThat(s.normalization()).containsEntry("type", "langfuse.observation.type=generation")
        .containsEntry("input_tokens", "langfuse.observation.usage_details.input");
    assertThat(s.metadata().get("langfuse.observation.usage_details").get("input").asInt()).isEqualTo(5);
    RunRecord run = b.runRecords().get(0);
    assertThat(run.name()).isEqualTo("chat-trace");
    assertThat(run.sessionId()).isEqualTo("sess-1");
    assertThat(run.environment()).isEqualTo("dev");
    assertThat(run.metadata().get("user_id").asText()).isEqualTo("user-1");
  }

  @Test
  void deprecatedAndFlattenedNames_areRead() {
    ExportTraceServiceRequest r = request(span(LLM, ROOT, "openai.chat", 0, 100)
        .addAttributes(kv("llm.request.type", "chat"))
        .addAttributes(kv("gen_ai.system", "OpenAI"))
        .addAttributes(kv("gen_ai.request.model", "gpt-3.5"))
        .addAttributes(kv("gen_ai.usage.prompt_tokens", "30"))
        .addAttributes(kv("gen_ai.usage.completion_tokens", 9.0))
        .addAttributes(kv("gen_ai.prompt.0.role", "user"))
        .addAttributes(kv("gen_ai.prompt.0.content", "hello"))
        .addAttributes(kv("gen_ai.prompt.name", "greeting-v2"))
        .addAttributes(kv("gen_ai.completion.0.content", "hi there"))
        .build());
    StepRecord s = proto(r).stepRecords().get(0);
    assertThat(s.type()).isEqualTo("llm");
    assertThat(s.provider()).isEqualTo("openai");
    assertThat(s.inputTokens()).isEqualTo(30);
    assertThat(s.outputTokens()).isEqualTo(9);
    assertThat(s.input().get(0).get("content").asText()).isEqualTo("hello");
    assertThat(s.output().get(0).get("content").asText()).isEqualTo("hi there");
    assertThat(s.metadata().get("gen_ai.prompt.name").asText()).isEqualTo("greeting-v2");
  }

  @Test
  void unknownAttributes_stayInMetadata_andNothingIsDropped() {
    ExportTraceServiceRequest r = request(span(ROOT, null, "work", 0, 5)
        .addAttributes(kv("my.custom", "x"))
        .addAttributes(kv("bytes", new byte[] {1, 2}))
        .build());
    StepRecord s = proto(r).stepRecords().get(0);
    assertThat(s.type()).isEqualTo("custom");
    assertThat(s.normalization()).containsEntry("type", "no type attribute");
    assertThat(s.metadata().get("my.custom").asText()).isEqualTo("x");
    assertThat(s.metadata().get("bytes").asText()).isEqualTo("AQI=");
  }

  @Test
  void badSpan_isRejectedAtItsPosition_othersGoOn() {
    String good = OtlpFixtures.json(request(span(ROOT, null, "ok", 0, 5).build()), Style.SPEC);
    String bad = good.replace("\"spans\":[", "\"spans\":[{\"traceId\":\"abc\",\"spanId\":\"eee19b7ec3c1b174\"},");
    Batch<Position> b = json(bad);
    assertThat(b.steps()).singleElement().satisfies(item -> {
      assertThat(item.record().name()).isEqualTo("ok");
      assertThat(item.ref()).isEqualTo(Position.step(1));
    });
    assertThat(b.sentSteps()).isEqualTo(2);
    assertThat(b.errors()).singleElement().satisfies(e -> {
      assertThat(e.ref()).isEqualTo(Position.step(0));
      assertThat(e.message()).isEqualTo("traceId must be 32 hex characters, got \"abc\"");
    });
    Batch<Position> zero = proto(request(span(ROOT, null, "z", 0, 5).setTraceId(OtlpFixtures.hex("0".repeat(32))).build()));
    assertThat(zero.errors().get(0).message()).isEqualTo("trace_id must not be all zeros");
  }

  @Test
  void malformedBodies_areBadRequests() {
    byte[] full = OtlpFixtures.agentRun().toByteArray();
    assertThatThrownBy(() -> decoder.decodeProtobuf(new ByteArrayInputStream(Arrays.copyOf(full, full.length - 7))))
        .isInstanceOf(BadRequest.class).hasMessageStartingWith("the body is not a valid protobuf");
    assertThatThrownBy(() -> json("{\"resourceSpans\": 3}")).isInstanceOf(BadRequest.class)
        .hasMessage("resourceSpans must be an array, got a number");
    assertThatThrownBy(() -> json("[1]")).isInstanceOf(BadRequest.class);
    assertThatThrownBy(() -> json("{\"resourceSpans\": [")).isInstanceOf(BadRequest.class);
    String deep = "[".repeat(5000) + "]".repeat(5000);
    assertThatThrownBy(() -> json("{\"x\":" + deep + "}")).isInstanceOf(BadRequest.class);
  }

  @Test
  void deeplyNestedProtobufValue_isRejected_shallowOnesAreCut() {
    AnyValue v = AnyValue.newBuilder().setStringValue("leaf").build();
    for (int i = 0; i < 200; i++) {
      v = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
          .addValues(KeyValue.newBuilder().setKey("k").setValue(v))).build();
    }
    ExportTraceServiceRequest deep = request(span(ROOT, null, "d", 0, 1)
        .addAttributes(KeyValue.newBuilder().setKey("deep").setValue(v)).build());
    assertThatThrownBy(() -> proto(deep)).isInstanceOf(BadRequest.class);
    // within protobuf's limit, but deeper than stored metadata may be: cut, not failed
    StepRecord s = decoder.decode(deep).stepRecords().get(0);
    assertThat(s.metadata().get("deep").toString()).contains("nested deeper than");
  }

  @Test
  void hugeAttributeValues_areCutToWhatTheStoreReadsBack() {
    int max = Limits.DEFAULT.maxStringLength();
    String huge = "x".repeat(max + 10);
    ExportTraceServiceRequest r = request(span(ROOT, null, "h", 0, 1).addAttributes(kv("big", "y".repeat(40_000)))
        .addAttributes(kv("input.value", huge)).build());
    StepRecord s = proto(r).stepRecords().get(0);
    assertThat(s.metadata().get("big").asText()).hasSize(32 * 1024 + 1);
    assertThat(s.input().asText()).hasSize(max + 1).endsWith("…");
    // the JSON encoding accepts the same long string and cuts it the same way
    assertThat(json(OtlpFixtures.json(r, Style.SPEC))).isEqualTo(proto(r));
  }

  @Test
  void longNamesAndValues_areNeverCutInsideACharacter() {
    String smile = "\uD83D\uDE00";
    int name = Limits.DEFAULT.maxNameLength();
    int max = Limits.DEFAULT.maxStringLength();
    ExportTraceServiceRequest r = request(span(ROOT, null, "n".repeat(name - 1) + smile, 0, 1)
        .addAttributes(kv("big", "y".repeat(32 * 1024 - 1) + smile))
        .addAttributes(kv("input.value", "x".repeat(max - 1) + smile + "x")).build());
    StepRecord s = proto(r).stepRecords().get(0);
    assertThat(s.name()).isEqualTo("n".repeat(name - 1));
    assertThat(s.metadata().get("big").asText()).isEqualTo("y".repeat(32 * 1024 - 1) + "…");
    assertThat(s.input().asText()).isEqualTo("x".repeat(max - 1) + "…");
  }

  @Test
  void emptyRequest_isEmptyBatch() {
    assertThat(json("{}").stepRecords()).isEmpty();
    assertThat(json("{\"resourceSpans\":[]}").runRecords()).isEmpty();
    assertThat(decoder.decodeProtobuf(new ByteArrayInputStream(new byte[0])).stepRecords()).isEmpty();
  }

  static ExportTraceServiceRequest request(io.opentelemetry.proto.trace.v1.Span... spans) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))).build();
  }

  @SuppressWarnings("unused")
  private static Map<String, String> none() {
    return Map.of();
  }
}
