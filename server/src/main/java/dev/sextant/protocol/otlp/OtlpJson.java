package dev.sextant.protocol.otlp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.sextant.model.Json;
import dev.sextant.model.Limits;
import dev.sextant.model.Text;
import dev.sextant.protocol.BadRequest;
import dev.sextant.protocol.JsonFields;
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
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads OTLP/JSON into the same protobuf request the binary encoding produces, so both encodings
 * share one mapping. Written by hand rather than with protobuf's JSON parser because OTLP/JSON
 * differs from proto3 JSON: ids are hex, not base64.
 *
 * <p>Lenient where real exporters differ from the letter of the spec: ids in any case (and base64
 * when a generic proto printer wrote them), enums as numbers or names, 64-bit integers as strings
 * or numbers, field names in lowerCamelCase or snake_case; unknown fields are ignored. A span that
 * cannot be read is replaced by an empty placeholder and reported by position, so the rest of the
 * request still goes in (OTLP partial success).
 */
final class OtlpJson {
  /** The request, plus the spans (by position in request order) that could not be read. */
  record Parsed(ExportTraceServiceRequest request, Map<Integer, String> spanErrors) {}

  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private final ObjectMapper mapper;

  /**
   * Strings may be as long as the body: an over-long attribute value is cut by the mapping, as it
   * is for protobuf, instead of failing the whole request here.
   */
  OtlpJson(Limits limits, int maxDepth) {
    this.mapper = Json.create(maxDepth, (int) Math.min(Integer.MAX_VALUE, limits.maxBodyBytes()));
  }

  Parsed parse(InputStream body) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JacksonException e) {
      throw new BadRequest("invalid_json", "the body is not valid OTLP/JSON: " + Json.problem(e));
    } catch (IOException e) {
      throw new BadRequest("invalid_body", "the body could not be read: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) return new Parsed(ExportTraceServiceRequest.getDefaultInstance(), Map.of());
    if (!root.isObject()) {
      throw new BadRequest("invalid_body", "the body must be an OTLP/JSON ExportTraceServiceRequest object, got "
          + JsonFields.kind(root));
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    Map<Integer, String> errors = new LinkedHashMap<>();
    int index = 0;
    JsonNode resourceSpans = array(root, "resourceSpans", "resource_spans");
    for (int r = 0; r < resourceSpans.size(); r++) {
      JsonNode rs = resourceSpans.get(r);
      String at = "resourceSpans[" + r + "]";
      if (!rs.isObject()) throw new BadRequest("invalid_body", at + " must be an object, got " + JsonFields.kind(rs));
      ResourceSpans.Builder rsb = ResourceSpans.newBuilder();
      JsonNode resource = field(rs, "resource", "resource");
      if (resource != null) {
        if (!resource.isObject()) throw new BadRequest("invalid_body", at + ".resource must be an object");
        rsb.setResource(Resource.newBuilder().addAllAttributes(structural(() -> attributes(resource), at + ".resource")));
      }
      String schema = text(rs, "schemaUrl", "schema_url");
      if (schema != null) rsb.setSchemaUrl(schema);
      JsonNode scopes = field(rs, "scopeSpans", "scope_spans");
      // exporters before OTLP 0.15 named this level instrumentationLibrarySpans
      if (scopes == null) scopes = field(rs, "instrumentationLibrarySpans", "instrumentation_library_spans");
      scopes = arrayOrEmpty(scopes, at + ".scopeSpans");
      for (int s = 0; s < scopes.size(); s++) {
        JsonNode ss = scopes.get(s);
        String sat = at + ".scopeSpans[" + s + "]";
        if (!ss.isObject()) throw new BadRequest("invalid_body", sat + " must be an object, got " + JsonFields.kind(ss));
        ScopeSpans.Builder ssb = ScopeSpans.newBuilder();
        JsonNode scope = field(ss, "scope", "scope");
        if (scope == null) scope = field(ss, "instrumentationLibrary", "instrumentation_library");
        if (scope != null && scope.isObject()) {
          JsonNode sc = scope;
          InstrumentationScope.Builder sb = InstrumentationScope.newBuilder();
          String name = text(sc, "name", "name");
          String version = text(sc, "version", "version");
          if (name != null) sb.setName(name);
          if (version != null) sb.setVersion(version);
          sb.addAllAttributes(structural(() -> attributes(sc), sat + ".scope"));
          ssb.setScope(sb);
        }
        JsonNode spans = arrayOrEmpty(field(ss, "spans", "spans"), sat + ".spans");
        for (int i = 0; i < spans.size(); i++, index++) {
          try {
            ssb.addSpans(span(spans.get(i)));
          } catch (IllegalArgumentException e) {
            errors.put(index, e.getMessage());
            ssb.addSpans(Span.getDefaultInstance());
          }
        }
        rsb.addScopeSpans(ssb);
      }
      request.addResourceSpans(rsb);
    }
    return new Parsed(request.build(), errors);
  }

  private static Span span(JsonNode o) {
    if (!o.isObject()) throw new IllegalArgumentException("must be an object, got " + JsonFields.kind(o));
    Span.Builder b = Span.newBuilder();
    b.setTraceId(id(o, "traceId", "trace_id", 16, true));
    b.setSpanId(id(o, "spanId", "span_id", 8, true));
    b.setParentSpanId(id(o, "parentSpanId", "parent_span_id", 8, false));
    String traceState = text(o, "traceState", "trace_state");
    if (traceState != null) b.setTraceState(traceState);
    b.setFlags((int) uint(o, "flags", "flags", 0xFFFF_FFFFL));
    String name = text(o, "name", "name");
    if (name != null) b.setName(name);
    b.setKindValue(enumValue(o, "kind", "kind", "SPAN_KIND_", Span.SpanKind.values().length - 1, KINDS));
    b.setStartTimeUnixNano(uint64(o, "startTimeUnixNano", "start_time_unix_nano"));
    b.setEndTimeUnixNano(uint64(o, "endTimeUnixNano", "end_time_unix_nano"));
    b.addAllAttributes(attributes(o));
    b.setDroppedAttributesCount((int) uint(o, "droppedAttributesCount", "dropped_attributes_count", Integer.MAX_VALUE));
    JsonNode events = field(o, "events", "events");
    if (events != null && !events.isNull()) {
      if (!events.isArray()) throw new IllegalArgumentException("events must be an array, got " + JsonFields.kind(events));
      for (int i = 0; i < events.size(); i++) {
        JsonNode e = events.get(i);
        if (!e.isObject()) throw new IllegalArgumentException("events[" + i + "] must be an object");
        Span.Event.Builder eb = Span.Event.newBuilder();
        eb.setTimeUnixNano(uint64(e, "timeUnixNano", "time_unix_nano"));
        String en = text(e, "name", "name");
        if (en != null) eb.setName(en);
        eb.addAllAttributes(attributes(e));
        b.addEvents(eb);
      }
    }
    JsonNode links = field(o, "links", "links");
    if (links != null && links.isArray()) {
      for (JsonNode l : links) {
        if (!l.isObject()) continue;
        b.addLinks(Span.Link.newBuilder()
            .setTraceId(id(l, "traceId", "trace_id", 16, false))
            .setSpanId(id(l, "spanId", "span_id", 8, false))
            .addAllAttributes(attributes(l)));
      }
    }
    JsonNode status = field(o, "status", "status");
    if (status != null && status.isObject()) {
      Status.Builder sb = Status.newBuilder();
      String message = text(status, "message", "message");
      if (message != null) sb.setMessage(message);
      sb.setCodeValue(enumValue(status, "code", "code", "STATUS_CODE_", 2, STATUS_CODES));
      b.setStatus(sb);
    }
    return b.build();
  }

  private static final Map<String, Integer> KINDS = Map.of(
      "UNSPECIFIED", 0, "INTERNAL", 1, "SERVER", 2, "CLIENT", 3, "PRODUCER", 4, "CONSUMER", 5);
  private static final Map<String, Integer> STATUS_CODES = Map.of("UNSET", 0, "OK", 1, "ERROR", 2);

  // --- attributes -------------------------------------------------------------------------------

  private static Iterable<KeyValue> attributes(JsonNode owner) {
    JsonNode attrs = field(owner, "attributes", "attributes");
    java.util.List<KeyValue> out = new java.util.ArrayList<>();
    if (attrs == null || attrs.isNull()) return out;
    if (!attrs.isArray()) throw new IllegalArgumentException("attributes must be an array, got " + JsonFields.kind(attrs));
    for (int i = 0; i < attrs.size(); i++) out.add(keyValue(attrs.get(i), "attributes[" + i + "]"));
    return out;
  }

  private static KeyValue keyValue(JsonNode kv, String at) {
    if (!kv.isObject()) throw new IllegalArgumentException(at + " must be an object, got " + JsonFields.kind(kv));
    String key = text(kv, "key", "key");
    if (key == null) throw new IllegalArgumentException(at + ".key is required");
    KeyValue.Builder b = KeyValue.newBuilder().setKey(key);
    JsonNode value = field(kv, "value", "value");
    if (value != null && !value.isNull()) b.setValue(anyValue(value, at + ".value"));
    return b.build();
  }

  static AnyValue anyValue(JsonNode v, String at) {
    if (!v.isObject()) throw new IllegalArgumentException(at + " must be an AnyValue object, got " + JsonFields.kind(v));
    AnyValue.Builder b = AnyValue.newBuilder();
    JsonNode x;
    if ((x = field(v, "stringValue", "string_value")) != null && !x.isNull()) {
      if (!x.isTextual()) throw new IllegalArgumentException(at + ".stringValue must be a string");
      return b.setStringValue(x.textValue()).build();
    }
    if ((x = field(v, "boolValue", "bool_value")) != null && !x.isNull()) {
      if (x.isBoolean()) return b.setBoolValue(x.booleanValue()).build();
      if (x.isTextual() && (x.textValue().equals("true") || x.textValue().equals("false"))) {
        return b.setBoolValue(Boolean.parseBoolean(x.textValue())).build();
      }
      throw new IllegalArgumentException(at + ".boolValue must be true or false");
    }
    if ((x = field(v, "intValue", "int_value")) != null && !x.isNull()) {
      return b.setIntValue(int64(x, at + ".intValue")).build();
    }
    if ((x = field(v, "doubleValue", "double_value")) != null && !x.isNull()) {
      return b.setDoubleValue(float64(x, at + ".doubleValue")).build();
    }
    if ((x = field(v, "arrayValue", "array_value")) != null && !x.isNull()) {
      ArrayValue.Builder ab = ArrayValue.newBuilder();
      JsonNode values = x.isObject() ? field(x, "values", "values") : null;
      if (values != null && !values.isNull()) {
        if (!values.isArray()) throw new IllegalArgumentException(at + ".arrayValue.values must be an array");
        for (int i = 0; i < values.size(); i++) ab.addValues(anyValue(values.get(i), at + ".arrayValue.values[" + i + "]"));
      }
      return b.setArrayValue(ab).build();
    }
    if ((x = field(v, "kvlistValue", "kvlist_value")) != null && !x.isNull()) {
      KeyValueList.Builder kb = KeyValueList.newBuilder();
      JsonNode values = x.isObject() ? field(x, "values", "values") : null;
      if (values != null && !values.isNull()) {
        if (!values.isArray()) throw new IllegalArgumentException(at + ".kvlistValue.values must be an array");
        for (int i = 0; i < values.size(); i++) kb.addValues(keyValue(values.get(i), at + ".kvlistValue.values[" + i + "]"));
      }
      return b.setKvlistValue(kb).build();
    }
    if ((x = field(v, "bytesValue", "bytes_value")) != null && !x.isNull()) {
      if (!x.isTextual()) throw new IllegalArgumentException(at + ".bytesValue must be a base64 string");
      try {
        return b.setBytesValue(ByteString.copyFrom(Base64.getDecoder().decode(x.textValue()))).build();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ".bytesValue must be base64: " + e.getMessage());
      }
    }
    return b.build();
  }

  // --- scalars ----------------------------------------------------------------------------------

  /**
   * A trace or span id: hex of {@code 2 * bytes} characters in any case, or base64 of
   * {@code bytes} bytes. Absent or empty is allowed only when not {@code required}.
   */
  static ByteString id(JsonNode o, String camel, String snake, int bytes, boolean required) {
    String s = text(o, camel, snake);
    if (s == null || s.isEmpty()) {
      if (required) throw new IllegalArgumentException(camel + " is required");
      return ByteString.EMPTY;
    }
    return parseId(s, camel, bytes);
  }

  static ByteString parseId(String s, String field, int bytes) {
    if (s.length() == bytes * 2) {
      byte[] out = new byte[bytes];
      boolean hex = true;
      for (int i = 0; i < bytes && hex; i++) {
        int hi = Character.digit(s.charAt(2 * i), 16);
        int lo = Character.digit(s.charAt(2 * i + 1), 16);
        if (hi < 0 || lo < 0) hex = false;
        else out[i] = (byte) (hi << 4 | lo);
      }
      if (hex) return ByteString.copyFrom(out);
    }
    // base64 only in its padded form (ids of 16 and 8 bytes always end in '='), so that a hex id
    // of the wrong length is never misread as base64 of the right one
    if (s.length() == (bytes + 2) / 3 * 4 && s.endsWith("=")) {
      try {
        byte[] decoded = Base64.getDecoder().decode(s);
        if (decoded.length == bytes) return ByteString.copyFrom(decoded);
      } catch (IllegalArgumentException e) {
        // fall through to the hex message: hex is what OTLP/JSON specifies
      }
    }
    throw new IllegalArgumentException(field + " must be " + bytes * 2 + " hex characters, got "
        + (s.length() > 64 ? s.length() + " characters" : "\"" + s + "\""));
  }

  /** An unsigned 64-bit integer (fixed64), as a decimal string or a JSON number; the bits as a long. */
  static long uint64(JsonNode o, String camel, String snake) {
    JsonNode v = field(o, camel, snake);
    if (v == null || v.isNull()) return 0;
    BigInteger n = integral(v, camel);
    if (n.signum() < 0 || n.compareTo(UINT64_MAX) > 0) {
      throw new IllegalArgumentException(camel + " must be an unsigned 64-bit integer, got " + n);
    }
    return n.longValue();
  }

  /** A signed 64-bit integer, as a decimal string or a JSON number. */
  static long int64(JsonNode v, String field) {
    BigInteger n = integral(v, field);
    if (n.bitLength() > 63) throw new IllegalArgumentException(field + " must be a signed 64-bit integer, got " + n);
    return n.longValue();
  }

  private static long uint(JsonNode o, String camel, String snake, long max) {
    JsonNode v = field(o, camel, snake);
    if (v == null || v.isNull()) return 0;
    BigInteger n = integral(v, camel);
    if (n.signum() < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new IllegalArgumentException(camel + " must be between 0 and " + max + ", got " + n);
    }
    return n.longValue();
  }

  private static BigInteger integral(JsonNode v, String field) {
    try {
      if (v.isIntegralNumber()) return v.bigIntegerValue();
      if (v.isNumber()) return v.decimalValue().toBigIntegerExact();
      if (v.isTextual()) {
        String s = v.textValue().trim();
        if (s.length() > 40) throw new NumberFormatException();
        return new BigDecimal(s).toBigIntegerExact();
      }
    } catch (ArithmeticException | NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(field + " must be an integer (a number or a decimal string), got "
        + (v.isTextual() ? "\"" + Text.abbreviate(v.textValue(), 40) + "\"" : JsonFields.kind(v)));
  }

  private static double float64(JsonNode v, String field) {
    if (v.isNumber()) return v.doubleValue();
    if (v.isTextual()) {
      switch (v.textValue()) {
        case "NaN": return Double.NaN;
        case "Infinity": return Double.POSITIVE_INFINITY;
        case "-Infinity": return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(v.textValue().trim());
          } catch (NumberFormatException e) {
            // reported below
          }
      }
    }
    throw new IllegalArgumentException(field + " must be a number, got " + JsonFields.kind(v));
  }

  /** An enum as its number or its name, with or without the proto prefix, in any case. */
  private static int enumValue(JsonNode o, String camel, String snake, String prefix, int max, Map<String, Integer> names) {
    JsonNode v = field(o, camel, snake);
    if (v == null || v.isNull()) return 0;
    if (v.isTextual()) {
      String s = v.textValue().trim().toUpperCase(Locale.ROOT);
      if (s.startsWith(prefix)) s = s.substring(prefix.length());
      Integer n = names.get(s);
      if (n != null) return n;
    }
    BigInteger n;
    try {
      n = integral(v, camel);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(camel + " must be one of " + names.keySet() + " or its number, got "
          + (v.isTextual() ? "\"" + Text.abbreviate(v.textValue(), 40) + "\"" : JsonFields.kind(v)));
    }
    if (n.signum() < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new IllegalArgumentException(camel + " must be between 0 and " + max + ", got " + n);
    }
    return n.intValue();
  }

  // --- tree helpers -----------------------------------------------------------------------------

  private static JsonNode field(JsonNode o, String camel, String snake) {
    JsonNode v = o.get(camel);
    return v != null ? v : o.get(snake);
  }

  private static String text(JsonNode o, String camel, String snake) {
    JsonNode v = field(o, camel, snake);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new IllegalArgumentException(camel + " must be a string, got " + JsonFields.kind(v));
    return v.textValue();
  }

  private static JsonNode array(JsonNode o, String camel, String snake) {
    return arrayOrEmpty(field(o, camel, snake), camel);
  }

  private static JsonNode arrayOrEmpty(JsonNode v, String at) {
    if (v == null || v.isNull()) return Json.NODES.arrayNode();
    if (!v.isArray()) throw new BadRequest("invalid_body", at + " must be an array, got " + JsonFields.kind(v));
    return v;
  }

  /** Problems outside any span (resource, scope) fail the whole request: no span could be mapped right. */
  private static <T> T structural(java.util.function.Supplier<T> read, String at) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      throw new BadRequest("invalid_body", at + ": " + e.getMessage());
    }
  }
}
