package dev.sextant.protocol.semconv;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.model.Json;
import dev.sextant.model.Limits;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Typed, lenient reads of span attributes that remember which keys were used, so that what is
 * left over can go to metadata. Instrumentations disagree on value types (a token count may be an
 * int, a double or a numeric string; an object may be a JSON string or a kvlist), so every read
 * accepts each reasonable form and returns null for the rest instead of failing the span.
 */
final class Attributes {
  /** Content parsed from JSON strings is stored as JSON, so its depth stays under the store's limit. */
  static final ObjectMapper CONTENT = Json.create(16, Limits.DEFAULT.maxStringLength());

  /** A found attribute: which key said it, and the value. */
  record Hit<T>(String key, T value) {}

  private final Map<String, JsonNode> all;
  private final Set<String> used = new HashSet<>();

  Attributes(Map<String, JsonNode> all) {
    this.all = all;
  }

  Map<String, JsonNode> all() {
    return all;
  }

  boolean used(String key) {
    return used.contains(key);
  }

  void use(String key) {
    used.add(key);
  }

  void unuse(String key) {
    used.remove(key);
  }

  boolean has(String key) {
    JsonNode v = all.get(key);
    return v != null && !v.isNull();
  }

  /** The first key with a non-blank scalar value, marked used. */
  Hit<String> string(String... keys) {
    for (String k : keys) {
      String v = asString(all.get(k));
      if (v != null) {
        used.add(k);
        return new Hit<>(k, v);
      }
    }
    return null;
  }

  /** Like {@link #string} but leaves the key unused, so it stays in metadata as well. */
  Hit<String> peek(String... keys) {
    for (String k : keys) {
      String v = asString(all.get(k));
      if (v != null) return new Hit<>(k, v);
    }
    return null;
  }

  /** The first key with an integral value (number or numeric string), marked used. */
  Hit<Long> integer(String... keys) {
    for (String k : keys) {
      Long v = asLong(all.get(k));
      if (v != null) {
        used.add(k);
        return new Hit<>(k, v);
      }
    }
    return null;
  }

  Hit<Double> number(String... keys) {
    for (String k : keys) {
      Double v = asDouble(all.get(k));
      if (v != null) {
        used.add(k);
        return new Hit<>(k, v);
      }
    }
    return null;
  }

  /** The first key holding an object, either as a kvlist or as a JSON string; marked used. */
  Hit<JsonNode> object(String... keys) {
    for (String k : keys) {
      JsonNode v = parsed(all.get(k));
      if (v != null && v.isObject()) {
        used.add(k);
        return new Hit<>(k, v);
      }
    }
    return null;
  }

  static String asString(JsonNode v) {
    if (v == null || v.isNull() || v.isContainerNode()) return null;
    String s = v.asText();
    return s.isBlank() ? null : s;
  }

  static Long asLong(JsonNode v) {
    if (v == null) return null;
    if (v.isIntegralNumber() && v.canConvertToLong()) return v.longValue();
    if (v.isNumber()) {
      double d = v.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 9e15 ? (long) d : null;
    }
    if (v.isTextual()) {
      String s = v.textValue().trim();
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        try {
          double d = Double.parseDouble(s);
          return d == Math.rint(d) && Math.abs(d) < 9e15 ? (long) d : null;
        } catch (NumberFormatException e2) {
          return null;
        }
      }
    }
    return null;
  }

  static Double asDouble(JsonNode v) {
    if (v == null) return null;
    if (v.isNumber()) return finite(v.doubleValue());
    if (v.isTextual()) {
      try {
        return finite(Double.parseDouble(v.textValue().trim()));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static Boolean asBoolean(JsonNode v) {
    if (v == null) return null;
    if (v.isBoolean()) return v.booleanValue();
    if (v.isTextual()) {
      String s = v.textValue().trim().toLowerCase(Locale.ROOT);
      if (s.equals("true")) return true;
      if (s.equals("false")) return false;
    }
    return null;
  }

  private static Double finite(double d) {
    return Double.isFinite(d) ? d : null;
  }

  /**
   * A value as JSON: strings that hold a JSON object or array (the usual encoding of "any"-typed
   * attributes) are parsed; everything else is returned as is.
   */
  static JsonNode parsed(JsonNode v) {
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) return v;
    String s = v.textValue().trim();
    if (s.length() < 2) return v;
    char first = s.charAt(0);
    char last = s.charAt(s.length() - 1);
    if ((first == '{' && last == '}') || (first == '[' && last == ']')) {
      try {
        return CONTENT.readTree(s);
      } catch (JacksonException e) {
        return v;
      }
    }
    return v;
  }
}
