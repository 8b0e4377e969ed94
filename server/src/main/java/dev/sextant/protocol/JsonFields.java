package dev.sextant.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Times;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Typed reads of JSON fields, for decoders and for the bodies of API requests. A field of the
 * wrong type throws {@link IllegalArgumentException} naming the field and what it should be, so
 * the caller can reject that one item (or request) with a useful message.
 */
public final class JsonFields {
  private JsonFields() {}

  public static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new IllegalArgumentException(field + " must be a string, got " + kind(v));
    return v.textValue();
  }

  /** {@link #text} of a field that must be present: absent or null, it is an error naming the field. */
  public static String requiredText(JsonNode o, String field) {
    return required(text(o, field), field);
  }

  /** {@link #text}, with a blank string read as absent. */
  public static String nonBlankText(JsonNode o, String field) {
    String v = text(o, field);
    return v == null || v.isBlank() ? null : v;
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

  /** {@link #number} of a field that must be present: absent or null, it is an error naming the field. */
  public static Double requiredNumber(JsonNode o, String field) {
    return required(number(o, field), field);
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

  private static <T> T required(T value, String field) {
    if (value == null) throw new IllegalArgumentException(field + " is required");
    return value;
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
