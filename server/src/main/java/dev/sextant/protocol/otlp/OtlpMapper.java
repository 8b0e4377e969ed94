package dev.sextant.protocol.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import dev.sextant.model.Batch;
import dev.sextant.model.Failure;
import dev.sextant.model.FailureTaxonomy;
import dev.sextant.model.Item;
import dev.sextant.model.ItemError;
import dev.sextant.model.Json;
import dev.sextant.model.Limits;
import dev.sextant.model.Position;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.model.Text;
import dev.sextant.protocol.semconv.SpanFacts;
import dev.sextant.protocol.semconv.SpanNormalizer;
import dev.sextant.protocol.semconv.SpanView;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps an OTLP trace export onto runs and steps: a trace is a run (keyed by the trace id in hex,
 * unless the spans carry {@code sextant.run.id}), a span is a step (keyed by its span id in hex).
 * The resource names the agent, its version and environment; the root span names the run and
 * gives its times and outcome. A step is named by its span's position in the request, a run by
 * the position of its trace among the request's traces, so an unreadable span is reported at its
 * position.
 */
final class OtlpMapper {
  /** Nested attribute values deeper than this are cut: stored JSON must stay well under the store's depth limit. */
  private static final int MAX_VALUE_DEPTH = 8;
  private static final int MAX_KEY_LENGTH = 1024;
  private static final String[] KIND_NAMES = {null, "internal", "server", "client", "producer", "consumer"};

  private final Limits limits;
  private final SpanNormalizer normalizer;

  OtlpMapper(Limits limits) {
    this.limits = limits;
    this.normalizer = new SpanNormalizer(limits);
  }

  /** One trace's run as this request tells it. */
  private static final class TraceRun {
    String runId;
    Map<String, JsonNode> resource;
    String agentId;
    String agentVersion;
    String environment;
    String sessionId;
    String userId;
    String runName;
    JsonNode input;
    JsonNode output;
    boolean rootSeen;
    String rootStepId;
    Long start;
    Long end;
    SpanFacts rootFacts;
    String rootName;
  }

  Batch<Position> map(ExportTraceServiceRequest request, Map<Integer, String> spanErrors) {
    Map<ByteString, String> runIds = runIds(request);
    Map<String, TraceRun> runs = new LinkedHashMap<>();
    List<Item<StepRecord, Position>> steps = new ArrayList<>();
    List<ItemError<Position>> errors = new ArrayList<>();
    int index = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, JsonNode> resource = attributes(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          int at = index++;
          String earlier = spanErrors.get(at);
          if (earlier != null) {
            errors.add(new ItemError<>(Position.step(at), earlier));
            continue;
          }
          try {
            steps.add(new Item<>(step(span, ss, resource, runIds, runs), Position.step(at)));
          } catch (IllegalArgumentException e) {
            errors.add(new ItemError<>(Position.step(at), e.getMessage()));
          }
        }
      }
    }
    List<Item<RunRecord, Position>> runRecords = new ArrayList<>(runs.size());
    for (TraceRun t : runs.values()) runRecords.add(new Item<>(run(t), Position.run(runRecords.size())));
    return new Batch<>(runRecords, steps, errors, runRecords.size(), index);
  }

  private StepRecord step(Span span, ScopeSpans scope, Map<String, JsonNode> resource,
      Map<ByteString, String> runIds, Map<String, TraceRun> runs) {
    String traceId = id(span.getTraceId(), 16, "trace_id");
    String spanId = id(span.getSpanId(), 8, "span_id");
    String parentId = span.getParentSpanId().isEmpty() ? null : id(span.getParentSpanId(), 8, "parent_span_id");
    Long start = nanos(span.getStartTimeUnixNano(), "start_time_unix_nano");
    Long end = nanos(span.getEndTimeUnixNano(), "end_time_unix_nano");

    List<StepEvent> events = new ArrayList<>(span.getEventsCount());
    for (Span.Event e : span.getEventsList()) {
      Long t = nanos(e.getTimeUnixNano(), "events.time_unix_nano");
      ObjectNode attrs = Json.object();
      attributes(e.getAttributesList()).forEach(attrs::set);
      events.add(new StepEvent(e.getName(), t != null ? t : start != null ? start : 0L, attrs));
    }
    SpanFacts f = normalizer.normalize(new SpanView(span.getName(), attributes(span.getAttributesList()), events,
        start, end, span.getStatus().getCodeValue(), span.getStatus().getMessage()));

    ObjectNode metadata = f.metadata();
    int kind = span.getKindValue();
    if (kind > 0 && kind < KIND_NAMES.length && !metadata.has("otel.span.kind")) metadata.put("otel.span.kind", KIND_NAMES[kind]);
    if (!scope.getScope().getName().isEmpty() && !metadata.has("otel.scope.name")) {
      metadata.put("otel.scope.name", scope.getScope().getName());
      if (!scope.getScope().getVersion().isEmpty()) metadata.put("otel.scope.version", scope.getScope().getVersion());
    }

    String runId = runIds.getOrDefault(span.getTraceId(), traceId);
    TraceRun t = runs.computeIfAbsent(runId, k -> {
      TraceRun n = new TraceRun();
      n.runId = k;
      n.resource = resource;
      return n;
    });
    if (t.agentId == null) t.agentId = f.agentId();
    if (t.agentVersion == null) t.agentVersion = f.agentVersion();
    if (t.environment == null) t.environment = f.environment();
    if (t.sessionId == null) t.sessionId = f.sessionId();
    if (t.userId == null) t.userId = f.userId();
    if (t.runName == null) t.runName = f.runName();
    if (t.input == null) t.input = f.runInput();
    if (t.output == null) t.output = f.runOutput();
    boolean root = parentId == null || (f.asRoot() && !t.rootSeen);
    if (root && (!t.rootSeen || parentId == null)) {
      t.rootSeen = true;
      t.rootStepId = spanId;
      t.resource = resource;
      t.start = start;
      t.end = end;
      t.rootFacts = f;
      t.rootName = span.getName();
    }

    StepRecord step = StepRecord.builder(runId, spanId).parentStepId(parentId).seq(f.seq()).type(f.type())
        .name(cut(span.getName())).startNanos(start).endNanos(end).status(f.status()).attempt(f.attempt())
        .retryOf(f.retryOf()).model(f.model()).provider(f.provider()).inputTokens(f.inputTokens())
        .outputTokens(f.outputTokens()).cacheReadTokens(f.cacheReadTokens()).reasoningTokens(f.reasoningTokens())
        .costUsd(f.costUsd()).timeToFirstTokenMs(f.timeToFirstTokenMs()).error(f.error()).metadata(metadata)
        .input(f.input()).output(f.output()).events(events(f.events())).normalization(f.normalization()).build();
    return step;
  }

  private RunRecord run(TraceRun t) {
    Map<String, JsonNode> resource = t.resource;
    String agentId = t.agentId != null ? t.agentId : text(resource.get("service.name"));
    String version = t.agentVersion != null ? t.agentVersion : text(resource.get("service.version"));
    String environment = t.environment != null ? t.environment
        : text(resource.get("deployment.environment.name")) != null ? text(resource.get("deployment.environment.name"))
        : text(resource.get("deployment.environment"));
    ObjectNode metadata = Json.object();
    for (Map.Entry<String, JsonNode> e : resource.entrySet()) {
      String k = e.getKey();
      if (k.equals("service.name") || k.equals("service.version") || k.startsWith("deployment.environment")) continue;
      metadata.set(k, e.getValue());
    }
    if (t.userId != null) metadata.put("user_id", t.userId);

    String name = t.runName;
    Long start = null;
    Long end = null;
    RunStatus status = null;
    Failure failure = null;
    JsonNode input = t.input;
    JsonNode output = t.output;
    if (t.rootSeen) {
      if (name == null) name = cut(t.rootName);
      start = t.start;
      end = t.end;
      if (input == null) input = t.rootFacts.input();
      if (output == null) output = t.rootFacts.output();
      if (t.rootFacts.status() != null && t.rootFacts.status().failed()) {
        status = RunStatus.FAILURE;
        failure = failure(t);
      }
    }
    return RunRecord.builder(t.runId).agentId(cut(agentId)).agentVersion(cut(version)).environment(cut(environment))
        .name(name).sessionId(cut(t.sessionId)).startNanos(start).endNanos(end).status(status).failure(failure)
        .metadata(metadata.isEmpty() ? null : metadata).input(input).output(output).build();
  }

  /**
   * Why the run failed, as the root says. With the root's own {@code sextant.failure.*} attributes
   * the failure is stated, and the store names its cause step; otherwise the root only says that
   * the run failed, and the store replaces this provisional failure (naming the root) with the
   * failed step that caused it, from every stored span of the trace ({@link Failure#inferred}).
   */
  private static Failure failure(TraceRun t) {
    SpanFacts root = t.rootFacts;
    boolean explicit = "sextant.failure.type".equals(root.normalization().get("error.type"))
        || "sextant.failure.code".equals(root.normalization().get("error.code"));
    String type = root.failureType();
    String code = root.failureCode();
    String message = root.error() == null ? null : root.error().message();
    if (type == null || !FailureTaxonomy.TYPES.contains(type)) type = "unknown";
    if (code == null || code.isEmpty()) code = "error";
    return explicit ? new Failure(type, code, message, null) : Failure.inferred(type, code, message, t.rootStepId);
  }

  // --- values -----------------------------------------------------------------------------------

  /**
   * Attributes in wire order as JSON values; a repeated key keeps its last value. Keys and string
   * values are cut to what the store can read back (JSON names and strings have parser limits).
   */
  Map<String, JsonNode> attributes(List<KeyValue> kvs) {
    Map<String, JsonNode> out = new LinkedHashMap<>(kvs.size() * 2);
    for (KeyValue kv : kvs) {
      if (kv.getKey().isEmpty()) continue;
      out.put(cut(kv.getKey(), MAX_KEY_LENGTH), value(kv.getValue(), 0));
    }
    return out;
  }

  JsonNode value(AnyValue v, int depth) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return TextNode.valueOf(cut(v.getStringValue(), limits.maxStringLength()));
      case BOOL_VALUE:
        return Json.NODES.booleanNode(v.getBoolValue());
      case INT_VALUE:
        return Json.NODES.numberNode(v.getIntValue());
      case DOUBLE_VALUE:
        double d = v.getDoubleValue();
        // JSON has no NaN or infinity; keep what was sent as text rather than fail the span
        return Double.isFinite(d) ? Json.NODES.numberNode(d) : TextNode.valueOf(Double.toString(d));
      case BYTES_VALUE:
        return TextNode.valueOf(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      case ARRAY_VALUE:
        if (depth >= MAX_VALUE_DEPTH) return TextNode.valueOf("[nested deeper than " + MAX_VALUE_DEPTH + " levels]");
        ArrayNode a = Json.NODES.arrayNode(v.getArrayValue().getValuesCount());
        for (AnyValue x : v.getArrayValue().getValuesList()) a.add(value(x, depth + 1));
        return a;
      case KVLIST_VALUE:
        if (depth >= MAX_VALUE_DEPTH) return TextNode.valueOf("[nested deeper than " + MAX_VALUE_DEPTH + " levels]");
        ObjectNode o = Json.object();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          o.set(cut(kv.getKey(), MAX_KEY_LENGTH), value(kv.getValue(), depth + 1));
        }
        return o;
      default:
        return Json.NODES.nullNode();
    }
  }

  /** The run id each trace's spans name with {@code sextant.run.id}, so all spans of that trace join that run. */
  private static Map<ByteString, String> runIds(ExportTraceServiceRequest request) {
    Map<ByteString, String> out = new LinkedHashMap<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          for (KeyValue kv : span.getAttributesList()) {
            if (kv.getKey().equals("sextant.run.id") && kv.getValue().hasStringValue()
                && !kv.getValue().getStringValue().isBlank()) {
              out.putIfAbsent(span.getTraceId(), kv.getValue().getStringValue());
            }
          }
        }
      }
    }
    return out;
  }

  static String id(ByteString bytes, int size, String field) {
    if (bytes.size() != size) {
      throw new IllegalArgumentException(field + " must be " + size + " bytes (" + size * 2 + " hex characters), got "
          + bytes.size() + " bytes");
    }
    boolean zero = true;
    for (int i = 0; i < size && zero; i++) zero = bytes.byteAt(i) == 0;
    if (zero) throw new IllegalArgumentException(field + " must not be all zeros");
    StringBuilder sb = new StringBuilder(size * 2);
    for (int i = 0; i < size; i++) {
      int b = bytes.byteAt(i) & 0xFF;
      sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }

  /** 0 means "not set" in OTLP; times past 2262 do not fit signed epoch nanoseconds. */
  private static Long nanos(long unsigned, String field) {
    if (unsigned == 0) return null;
    if (unsigned < 0) {
      throw new IllegalArgumentException(field + " " + Long.toUnsignedString(unsigned)
          + " is out of range: it must be nanoseconds since 1970 before the year 2262");
    }
    return unsigned;
  }

  private static List<StepEvent> events(List<StepEvent> events) {
    return events == null || events.isEmpty() ? null : events;
  }

  private String cut(String s) {
    if (s == null) return null;
    return Text.truncate(s, limits.maxNameLength());
  }

  private static String cut(String s, int max) {
    return Text.marked(s, max);
  }

  private static String text(JsonNode v) {
    if (v == null || v.isNull() || v.isContainerNode()) return null;
    String s = v.asText();
    return s.isBlank() ? null : s;
  }
}
