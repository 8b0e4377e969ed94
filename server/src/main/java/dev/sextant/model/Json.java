package dev.sextant.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one JSON mapper: snake_case records, RFC 3339 instants, nulls written out. */
public final class Json {
  public static final ObjectMapper MAPPER = create(Limits.DEFAULT);
  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  /** A mapper whose parser refuses nesting and single strings beyond the limits. */
  public static ObjectMapper create(Limits limits) {
    return create(limits.maxJsonDepth(), limits.maxStringLength());
  }

  /** A mapper whose parser refuses nesting deeper than {@code maxDepth} and longer single strings. */
  public static ObjectMapper create(int maxDepth, int maxStringLength) {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(maxDepth)
                    .maxStringLength(maxStringLength)
                    .build())
            .build();
    return new ObjectMapper(factory)
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .setSerializationInclusion(JsonInclude.Include.ALWAYS)
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  /** The JSON text of {@code value}; trees and maps of strings take a shorter path ({@link PlainJson}). */
  public static String write(Object value) {
    try {
      String plain = PlainJson.text(MAPPER.getFactory(), value);
      return plain != null ? plain : MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Pattern LIMIT = Pattern.compile("\\((\\d+)\\) exceeds the maximum allowed \\((\\d+)");

  /**
   * What was wrong with a body the parser refused, in the words of the API rather than the
   * parser's: a limit is named with its value, anything else the parser's own reason.
   */
  public static String problem(JacksonException e) {
    String message = String.valueOf(e.getOriginalMessage());
    if (e instanceof StreamConstraintsException) {
      // the parser stops at the first character past a limit, so only the limit itself is known
      Matcher m = LIMIT.matcher(message);
      String limit = m.find() ? m.group(2) : "the limit";
      if (message.startsWith("String value length")) {
        return "a JSON string is longer than " + limit + " characters, the limit per string:"
            + " shorten the value or leave it out";
      }
      if (message.contains("nesting depth")) {
        return "the JSON is nested deeper than " + limit + " levels, the limit: flatten the value";
      }
      if (message.startsWith("Number value length")) {
        return "a JSON number is longer than " + limit + " digits, the limit";
      }
      return message.replaceAll(",? from `?StreamReadConstraints[^)]*", "");
    }
    return message;
  }

  /** Parses JSON that this server wrote itself (stored columns). */
  public static JsonNode read(String text) {
    if (text == null) return null;
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
