package dev.sextant.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Times;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Typed reads of optional JSON fields for decoders. A field of the wrong type throws
 * {@link IllegalArgumentException} naming the field and what it should be, so the decoder can
 * reject that one item with a useful message.
 */
public final class JsonFields {
  private JsonFields() {}

  public static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new IllegalArgumentException(field + " must be a string, got " + kind(v));
    return v.textValue();
  }

  public static Long integer(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    if (v.isIntegralNumber() && v.canConvertToLong()) return v.longValue();
    if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) < 9e15) {
      return (long) v.asDouble();
    }
    throw new IllegalArgumentException(field + " must be an integer, got " + kind(v));
  }

  public static Integer smallInt(JsonNode o, String field) {
    Long v = integer(o, field);
    if (v == null) return null;
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(field + " is out of range: " + v);
    }
    return v.intValue();
  }

  public static Double number(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isNumber()) throw new IllegalArgumentException(field + " must be a number, got " + kind(v));
    return v.doubleValue();
  }

  public static Long time(JsonNode o, String field) {
    String t = text(o, field);
    if (t == null) return null;
    try {
      return Times.parse(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " " + e.getMessage());
    }
  }

  public static ObjectNode object(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isObject()) throw new IllegalArgumentException(field + " must be an object, got " + kind(v));
    return (ObjectNode) v;
  }

  public static JsonNode any(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? null : v;
  }

  public static Map<String, String> stringMap(JsonNode o, String field) {
    ObjectNode m = object(o, field);
    if (m == null) return null;
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isTextual()) out.put(e.getKey(), v.textValue());
      else if (v.isNumber() || v.isBoolean()) out.put(e.getKey(), v.asText());
      else throw new IllegalArgumentException(field + "." + e.getKey() + " must be a string, got " + kind(v));
    }
    return out;
  }

  public static String kind(JsonNode v) {
    switch (v.getNodeType()) {
      case STRING: return "a string";
      case NUMBER: return "a number";
      case BOOLEAN: return "a boolean";
      case ARRAY: return "an array";
      case OBJECT: return "an object";
      case NULL: return "null";
      default: return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
