package dev.sextant.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.sextant.model.Json;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.store.WriteBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stored records as OTLP spans with the GenAI semantic conventions: a run is a root span
 * ({@code invoke_agent}), each step a span under its parent step or the run. Ids that are already
 * 32 (trace) or 16 (span) hex digits, or UUIDs, are kept; others are hashed, so the same run or
 * step always gets the same ids and a receiver that merges by id (another Sextant) merges the parts.
 */
final class SpanEncoder {
  private static final String SCOPE = "dev.sextant.forward";

  private SpanEncoder() {}

  /** One request for the batch; the resource carries the project and, per run, the agent. */
  static ExportTraceServiceRequest encode(String projectId, WriteBatch batch) {
    Map<String, RunRecord> runs = new LinkedHashMap<>();
    for (RunRecord r : batch.runs()) runs.put(r.runId(), r);
    Map<String, ScopeSpans.Builder> byAgent = new LinkedHashMap<>();
    Map<String, RunRecord> agentOf = new LinkedHashMap<>();
    for (RunRecord r : batch.runs()) {
      String key = resourceKey(r);
      agentOf.putIfAbsent(key, r);
      byAgent.computeIfAbsent(key, k -> scope()).addSpans(runSpan(r));
    }
    for (StepRecord s : batch.steps()) {
      RunRecord r = runs.get(s.runId());
      String key = r == null ? "" : resourceKey(r);
      if (r != null) agentOf.putIfAbsent(key, r);
      byAgent.computeIfAbsent(key, k -> scope()).addSpans(stepSpan(s));
    }
    ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
    byAgent.forEach((key, spans) -> out.addResourceSpans(ResourceSpans.newBuilder()
        .setResource(resource(projectId, agentOf.get(key))).addScopeSpans(spans)));
    return out.build();
  }

  private static String resourceKey(RunRecord r) {
    return r.agentId() == null ? "" : r.agentId() + "\u0000" + r.agentVersion() + "\u0000" + r.environment();
  }

  private static ScopeSpans.Builder scope() {
    return ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(SCOPE));
  }

  private static Resource resource(String projectId, RunRecord r) {
    Resource.Builder b = Resource.newBuilder();
    put(b.addAttributesBuilder(), "sextant.project", projectId);
    if (r != null) {
      if (r.agentId() != null) put(b.addAttributesBuilder(), "service.name", r.agentId());
      if (r.agentVersion() != null) put(b.addAttributesBuilder(), "service.version", r.agentVersion());
      if (r.environment() != null) put(b.addAttributesBuilder(), "deployment.environment.name", r.environment());
    }
    return b.build();
  }

  static Span runSpan(RunRecord r) {
    Span.Builder s = Span.newBuilder()
        .setTraceId(traceId(r.runId()))
        .setSpanId(runSpanId(r.runId()))
        .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
        .setName(r.name() != null ? r.name() : r.agentId() != null ? "invoke_agent " + r.agentId() : "run");
    times(s, r.startNanos(), r.endNanos());
    attr(s, "gen_ai.operation.name", "invoke_agent");
    attr(s, "gen_ai.agent.name", r.agentId());
    attr(s, "gen_ai.conversation.id", r.sessionId());
    attr(s, "sextant.run.id", r.runId());
    attr(s, "sextant.run.status", r.status() == null ? null : r.status().wire());
    if (r.labels() != null) r.labels().forEach((k, v) -> attr(s, "sextant.label." + k, v));
    metadata(s, r.metadata());
    content(s, "input.value", r.input());
    content(s, "output.value", r.output());
    if (r.failure() != null) {
      attr(s, "error.type", r.failure().type() + (r.failure().code() == null ? "" : "/" + r.failure().code()));
      attr(s, "sextant.failure.type", r.failure().type());
      attr(s, "sextant.failure.code", r.failure().code());
    }
    if (r.status() == RunStatus.FAILURE) {
      Status.Builder st = Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR);
      if (r.failure() != null && r.failure().message() != null) st.setMessage(r.failure().message());
      s.setStatus(st);
    } else if (r.status() == RunStatus.SUCCESS) {
      s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
    }
    return s.build();
  }

  static Span stepSpan(StepRecord st) {
    Span.Builder s = Span.newBuilder()
        .setTraceId(traceId(st.runId()))
        .setSpanId(spanId(st.stepId()))
        .setParentSpanId(st.parentStepId() != null ? spanId(st.parentStepId()) : runSpanId(st.runId()))
        .setKind(st.type() != null && st.type().equals("llm") ? Span.SpanKind.SPAN_KIND_CLIENT : Span.SpanKind.SPAN_KIND_INTERNAL);
    String operation = operation(st.type());
    s.setName(operation != null && st.model() != null && st.type().equals("llm") ? operation + " " + st.model()
        : st.name() != null ? st.name() : st.type() != null ? st.type() : "step");
    times(s, st.startNanos(), st.endNanos());
    attr(s, "gen_ai.operation.name", operation);
    attr(s, "gen_ai.request.model", st.model());
    attr(s, "gen_ai.provider.name", st.provider());
    if ("tool".equals(st.type())) attr(s, "gen_ai.tool.name", st.name());
    if ("agent".equals(st.type())) attr(s, "gen_ai.agent.name", st.name());
    num(s, "gen_ai.usage.input_tokens", st.inputTokens());
    num(s, "gen_ai.usage.output_tokens", st.outputTokens());
    num(s, "gen_ai.usage.cache_read.input_tokens", st.cacheReadTokens());
    num(s, "gen_ai.usage.reasoning.output_tokens", st.reasoningTokens());
    if (st.costUsd() != null) s.addAttributes(kv("sextant.cost_usd", AnyValue.newBuilder().setDoubleValue(st.costUsd())));
    if (st.timeToFirstTokenMs() != null) {
      s.addAttributes(kv("sextant.time_to_first_token_ms", AnyValue.newBuilder().setDoubleValue(st.timeToFirstTokenMs())));
    }
    attr(s, "sextant.step.type", st.type());
    attr(s, "sextant.step.name", st.name());
    num(s, "sextant.step.seq", st.seq() == null ? null : st.seq().longValue());
    num(s, "sextant.step.attempt", st.attempt() == null ? null : st.attempt().longValue());
    attr(s, "sextant.step.retry_of", st.retryOf());
    attr(s, "sextant.step.status", st.status() == null ? null : st.status().wire());
    metadata(s, st.metadata());
    content(s, "input.value", st.input());
    content(s, "output.value", st.output());
    if (st.error() != null) {
      attr(s, "error.type", st.error().code() != null ? st.error().code() : st.error().type());
      attr(s, "sextant.error.type", st.error().type());
      attr(s, "sextant.error.code", st.error().code());
    }
    if (st.status() != null) {
      Status.Builder status = Status.newBuilder().setCode(
          st.status().failed() ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_OK);
      if (st.status().failed() && st.error() != null && st.error().message() != null) status.setMessage(st.error().message());
      s.setStatus(status);
    }
    if (st.events() != null) {
      for (StepEvent e : st.events()) {
        Span.Event.Builder ev = Span.Event.newBuilder().setName(e.name() == null ? "event" : e.name());
        ev.setTimeUnixNano(Math.max(0, e.timeNanos()));
        if (e.attributes() != null) {
          for (Iterator<Map.Entry<String, JsonNode>> it = e.attributes().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> a = it.next();
            ev.addAttributes(kv(a.getKey(), value(a.getValue())));
          }
        }
        s.addEvents(ev);
      }
    }
    return s.build();
  }

  /** Sextant's step type as {@code gen_ai.operation.name}, where the conventions name one. */
  static String operation(String type) {
    if (type == null) return null;
    return switch (type) {
      case "llm" -> "chat";
      case "embedding" -> "embeddings";
      case "tool" -> "execute_tool";
      case "agent" -> "invoke_agent";
      case "retrieval" -> "retrieval";
      default -> null;
    };
  }

  private static void times(Span.Builder s, Long start, Long end) {
    long st = start == null ? (end == null ? 0 : end) : start;
    s.setStartTimeUnixNano(Math.max(0, st));
    s.setEndTimeUnixNano(Math.max(0, end == null ? st : end));
  }

  private static void metadata(Span.Builder s, com.fasterxml.jackson.databind.node.ObjectNode metadata) {
    if (metadata == null) return;
    for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      s.addAttributes(kv("sextant.metadata." + e.getKey(), value(e.getValue())));
    }
  }

  private static void content(Span.Builder s, String key, JsonNode v) {
    if (v == null || v.isNull()) return;
    attr(s, key, v.isTextual() ? v.textValue() : Json.write(v));
    attr(s, key.replace(".value", ".mime_type"), v.isTextual() ? "text/plain" : "application/json");
  }

  private static AnyValue.Builder value(JsonNode v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v.isTextual()) return b.setStringValue(v.textValue());
    if (v.isBoolean()) return b.setBoolValue(v.booleanValue());
    if (v.isIntegralNumber() && v.canConvertToLong()) return b.setIntValue(v.longValue());
    if (v.isNumber()) return b.setDoubleValue(v.doubleValue());
    return b.setStringValue(Json.write(v));
  }

  private static void attr(Span.Builder s, String key, String value) {
    if (value != null) s.addAttributes(kv(key, AnyValue.newBuilder().setStringValue(value)));
  }

  private static void num(Span.Builder s, String key, Long value) {
    if (value != null) s.addAttributes(kv(key, AnyValue.newBuilder().setIntValue(value)));
  }

  private static void put(KeyValue.Builder b, String key, String value) {
    b.setKey(key).setValue(AnyValue.newBuilder().setStringValue(value));
  }

  private static KeyValue kv(String key, AnyValue.Builder value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  static ByteString traceId(String runId) {
    return id(runId, 16, "trace:");
  }

  static ByteString spanId(String stepId) {
    return id(stepId, 8, "span:");
  }

  /** The run's own span: distinct from a step with the run's id (LangSmith's root run is both). */
  static ByteString runSpanId(String runId) {
    return id("run:" + runId, 8, "run-span:");
  }

  /** Hex ids of the right length (and UUIDs, for trace ids) as they are; anything else hashed. */
  private static ByteString id(String id, int bytes, String salt) {
    String hex = id.length() == 36 && bytes == 16 && id.charAt(8) == '-' ? id.replace("-", "") : id;
    if (hex.length() == bytes * 2 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      byte[] b = HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
      boolean zero = true;
      for (byte x : b) zero &= x == 0;
      if (!zero) return ByteString.copyFrom(b);
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest((salt + id).getBytes(StandardCharsets.UTF_8));
      return ByteString.copyFrom(Arrays.copyOf(d, bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
