package dev.sextant.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;

/**
 * The JSON text of a tree or of a map of strings, written straight to a generator. It is the text
 * the mapper writes for them, without the mapper's per-call set-up (a serializer provider and a
 * serializer lookup per value), which cost more than the writing itself for the small metadata and
 * normalization objects stored with every step. Anything else, such as a tree holding a Java
 * object, is left to the mapper: {@link #text} answers null.
 */
final class PlainJson {
  private PlainJson() {}

  /** The text, or null when {@code value} is not a tree or a map of strings made of plain JSON values. */
  static String text(JsonFactory factory, Object value) throws IOException {
    if (!(value instanceof JsonNode) && !(value instanceof Map<?, ?>)) return null;
    StringWriter out = new StringWriter(128);
    try (JsonGenerator g = factory.createGenerator(out)) {
      boolean plain = value instanceof JsonNode n ? write(g, n) : write(g, (Map<?, ?>) value);
      if (!plain) return null;
    }
    return out.toString();
  }

  /** Writes the map; false at the first key or value that is not a string (or a null value). */
  private static boolean write(JsonGenerator g, Map<?, ?> m) throws IOException {
    g.writeStartObject();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String key)) return false;
      g.writeFieldName(key);
      if (e.getValue() == null) g.writeNull();
      else if (e.getValue() instanceof String text) g.writeString(text);
      else return false;
    }
    g.writeEndObject();
    return true;
  }

  /** Writes the tree; false when it holds something other than plain JSON values (binary, a Java object). */
  private static boolean write(JsonGenerator g, JsonNode n) throws IOException {
    switch (n.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          g.writeFieldName(e.getKey());
          if (!write(g, e.getValue())) return false;
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode c : n) if (!write(g, c)) return false;
        g.writeEndArray();
      }
      case STRING -> g.writeString(n.textValue());
      case BOOLEAN -> g.writeBoolean(n.booleanValue());
      case NULL -> g.writeNull();
      case NUMBER -> {
        switch (n.numberType()) {
          case INT -> g.writeNumber(n.intValue());
          case LONG -> g.writeNumber(n.longValue());
          case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
          case FLOAT -> g.writeNumber(n.floatValue());
          case DOUBLE -> g.writeNumber(n.doubleValue());
          case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }
}
