package dev.sextant.protocol.otlp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.sextant.model.Json;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * OTLP requests for tests, and an OTLP/JSON writer that can spell the same request in each of the
 * forms real exporters use (upper- or lower-case hex, 64-bit integers as strings or numbers, enums
 * as numbers or names).
 */
public final class OtlpFixtures {
  public static final String TRACE = "5b8efff798038103d269b633813fc60c";
  public static final String ROOT = "eee19b7ec3c1b174";
  public static final String LLM = "eee19b7ec3c1b175";
  public static final String TOOL = "eee19b7ec3c1b176";
  public static final String RETRIEVER = "eee19b7ec3c1b177";
  public static final String TASK = "eee19b7ec3c1b178";
  public static final long T0 = 1_795_317_755_310_000_000L;

  private OtlpFixtures() {}

  public static KeyValue kv(String key, Object value) {
    return KeyValue.newBuilder().setKey(key).setValue(any(value)).build();
  }

  public static AnyValue any(Object v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v instanceof String) b.setStringValue((String) v);
    else if (v instanceof Boolean) b.setBoolValue((Boolean) v);
    else if (v instanceof Integer || v instanceof Long) b.setIntValue(((Number) v).longValue());
    else if (v instanceof Double) b.setDoubleValue((Double) v);
    else if (v instanceof byte[]) b.setBytesValue(ByteString.copyFrom((byte[]) v));
    else if (v instanceof AnyValue) return (AnyValue) v;
    else if (v instanceof KeyValue[]) b.setKvlistValue(KeyValueList.newBuilder().addAllValues(java.util.List.of((KeyValue[]) v)));
    else if (v instanceof Object[]) {
      ArrayValue.Builder a = ArrayValue.newBuilder();
      for (Object x : (Object[]) v) a.addValues(any(x));
      b.setArrayValue(a);
    } else throw new IllegalArgumentException(String.valueOf(v));
    return b.build();
  }

  public static ByteString hex(String s) {
    return ByteString.copyFrom(HexFormat.of().parseHex(s));
  }

  public static Span.Builder span(String spanId, String parent, String name, long startOffsetMs, long durationMs) {
    Span.Builder b = Span.newBuilder().setTraceId(hex(TRACE)).setSpanId(hex(spanId)).setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
        .setStartTimeUnixNano(T0 + startOffsetMs * 1_000_000)
        .setEndTimeUnixNano(T0 + (startOffsetMs + durationMs) * 1_000_000)
        .setFlags(257);
    if (parent != null) b.setParentSpanId(hex(parent));
    return b;
  }

  /**
   * One agent run in several dialects: an agent root that failed, a GenAI chat step with tokens
   * and content, a tool step with an exception, an OpenInference retriever, a Traceloop task.
   */
  public static ExportTraceServiceRequest agentRun() {
    Span root = span(ROOT, null, "invoke_agent support", 0, 2500)
        .addAttributes(kv("gen_ai.operation.name", "invoke_agent"))
        .addAttributes(kv("gen_ai.conversation.id", "conv-42"))
        .addAttributes(kv("ticket.priority", "high"))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("tool failed"))
        .build();
    Span llm = span(LLM, ROOT, "chat gpt-4o", 10, 800)
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(kv("gen_ai.operation.name", "chat"))
        .addAttributes(kv("gen_ai.provider.name", "openai"))
        .addAttributes(kv("gen_ai.request.model", "gpt-4o"))
        .addAttributes(kv("gen_ai.response.model", "gpt-4o-2024-08-06"))
        .addAttributes(kv("gen_ai.usage.input_tokens", 12))
        .addAttributes(kv("gen_ai.usage.output_tokens", 7L))
        .addAttributes(kv("gen_ai.usage.cache_read.input_tokens", 4))
        .addAttributes(kv("gen_ai.response.time_to_first_chunk", 0.25))
        .addAttributes(kv("gen_ai.request.temperature", 0.2))
        .addAttributes(kv("gen_ai.response.finish_reasons", new Object[] {"stop"}))
        .addAttributes(kv("gen_ai.input.messages",
            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"where is my refund\"}]}]"))
        .addEvents(Span.Event.newBuilder().setName("gen_ai.client.inference.operation.details")
            .setTimeUnixNano(T0 + 805_000_000L)
            .addAttributes(kv("gen_ai.output.messages",
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"checking\"}]}]")))
        .build();
    Span tool = span(TOOL, ROOT, "execute_tool billing_api", 900, 1500)
        .addAttributes(kv("gen_ai.operation.name", "execute_tool"))
        .addAttributes(kv("gen_ai.tool.name", "billing_api"))
        .addAttributes(kv("error.type", "java.net.SocketTimeoutException"))
        .addAttributes(kv("http.response.status_code", 504))
        .addAttributes(kv("tool.config", new KeyValue[] {kv("retries", 2), kv("region", "eu-west-1")}))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("read timed out"))
        .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(T0 + 2_400_000_000L)
            .addAttributes(kv("exception.type", "java.net.SocketTimeoutException"))
            .addAttributes(kv("exception.message", "Read timed out after 1500 ms"))
            .addAttributes(kv("exception.stacktrace", "java.net.SocketTimeoutException: Read timed out\n\tat x")))
        .build();
    Span retriever = span(RETRIEVER, ROOT, "vector search", 820, 60)
        .addAttributes(kv("openinference.span.kind", "RETRIEVER"))
        .addAttributes(kv("input.value", "refund policy"))
        .addAttributes(kv("retrieval.documents.0.document.id", "doc-1"))
        .addAttributes(kv("retrieval.documents.0.document.content", "Refunds take 5 days"))
        .addAttributes(kv("retrieval.documents.1.document.id", "doc-2"))
        .build();
    Span task = span(TASK, ROOT, "plan.task", 5, 4)
        .addAttributes(kv("traceloop.span.kind", "task"))
        .addAttributes(kv("traceloop.entity.name", "plan"))
        .addAttributes(kv("traceloop.entity.input", "{\"goal\":\"refund\"}"))
        .addAttributes(kv("traceloop.entity.output", "{\"steps\":[\"search\",\"bill\"]}"))
        .build();
    Resource resource = Resource.newBuilder()
        .addAttributes(kv("service.name", "support-agent"))
        .addAttributes(kv("service.version", "v1.2.0"))
        .addAttributes(kv("deployment.environment.name", "production"))
        .addAttributes(kv("host.name", "worker-1"))
        .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("test-agent").setVersion("1.0.0"))
                .addSpans(task).addSpans(llm).addSpans(retriever).addSpans(tool).addSpans(root)))
        .build();
  }

  /** How a JSON form spells the things OTLP/JSON exporters disagree on. */
  public record Style(boolean upperHex, boolean intsAsStrings, boolean enumNames, boolean snakeCase) {
    public static final Style SPEC = new Style(false, true, false, false);
  }

  public static String json(ExportTraceServiceRequest r, Style style) {
    ObjectNode root = Json.object();
    ArrayNode rss = root.putArray(name("resourceSpans", style));
    for (ResourceSpans rs : r.getResourceSpansList()) {
      ObjectNode o = rss.addObject();
      o.putObject("resource").set("attributes", attributes(rs.getResource().getAttributesList(), style));
      ArrayNode sss = o.putArray(name("scopeSpans", style));
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ObjectNode so = sss.addObject();
        if (ss.hasScope()) {
          ObjectNode sc = so.putObject("scope");
          sc.put("name", ss.getScope().getName());
          sc.put("version", ss.getScope().getVersion());
        }
        ArrayNode spans = so.putArray("spans");
        for (Span s : ss.getSpansList()) spans.add(span(s, style));
      }
    }
    // an unknown field, which must be ignored
    root.put("futureField", 1);
    return Json.write(root);
  }

  private static ObjectNode span(Span s, Style style) {
    ObjectNode o = Json.object();
    o.put(name("traceId", style), hexString(s.getTraceId(), style));
    o.put(name("spanId", style), hexString(s.getSpanId(), style));
    if (!s.getParentSpanId().isEmpty()) o.put(name("parentSpanId", style), hexString(s.getParentSpanId(), style));
    o.put("name", s.getName());
    if (style.enumNames()) o.put("kind", s.getKind().name());
    else o.put("kind", s.getKindValue());
    uint64(o, name("startTimeUnixNano", style), s.getStartTimeUnixNano(), style);
    uint64(o, name("endTimeUnixNano", style), s.getEndTimeUnixNano(), style);
    o.set("attributes", attributes(s.getAttributesList(), style));
    o.put(name("droppedAttributesCount", style), 0);
    ArrayNode events = o.putArray("events");
    for (Span.Event e : s.getEventsList()) {
      ObjectNode eo = events.addObject();
      uint64(eo, name("timeUnixNano", style), e.getTimeUnixNano(), style);
      eo.put("name", e.getName());
      eo.set("attributes", attributes(e.getAttributesList(), style));
    }
    ObjectNode status = o.putObject("status");
    if (!s.getStatus().getMessage().isEmpty()) status.put("message", s.getStatus().getMessage());
    if (style.enumNames()) status.put("code", s.getStatus().getCode().name());
    else status.put("code", s.getStatus().getCodeValue());
    o.put("flags", s.getFlags());
    return o;
  }

  private static ArrayNode attributes(java.util.List<KeyValue> kvs, Style style) {
    ArrayNode a = Json.NODES.arrayNode();
    for (KeyValue kv : kvs) {
      ObjectNode o = a.addObject();
      o.put("key", kv.getKey());
      o.set("value", value(kv.getValue(), style));
    }
    return a;
  }

  private static ObjectNode value(AnyValue v, Style style) {
    ObjectNode o = Json.object();
    switch (v.getValueCase()) {
      case STRING_VALUE: o.put(name("stringValue", style), v.getStringValue()); break;
      case BOOL_VALUE: o.put(name("boolValue", style), v.getBoolValue()); break;
      case INT_VALUE:
        if (style.intsAsStrings()) o.put(name("intValue", style), Long.toString(v.getIntValue()));
        else o.put(name("intValue", style), v.getIntValue());
        break;
      case DOUBLE_VALUE: o.put(name("doubleValue", style), v.getDoubleValue()); break;
      case BYTES_VALUE:
        o.put(name("bytesValue", style), Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
        break;
      case ARRAY_VALUE: {
        ArrayNode values = o.putObject(name("arrayValue", style)).putArray("values");
        for (AnyValue x : v.getArrayValue().getValuesList()) values.add(value(x, style));
        break;
      }
      case KVLIST_VALUE:
        o.putObject(name("kvlistValue", style)).set("values", attributes(v.getKvlistValue().getValuesList(), style));
        break;
      default:
        break;
    }
    return o;
  }

  private static void uint64(ObjectNode o, String field, long v, Style style) {
    if (style.intsAsStrings()) o.put(field, Long.toUnsignedString(v));
    else o.put(field, v);
  }

  private static String hexString(ByteString b, Style style) {
    String h = HexFormat.of().formatHex(b.toByteArray());
    return style.upperHex() ? h.toUpperCase(Locale.ROOT) : h;
  }

  private static String name(String camel, Style style) {
    if (!style.snakeCase()) return camel;
    return camel.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
  }
}
