package dev.sextant.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Text;
import dev.sextant.model.Validator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Forgiving reads for fields that third-party SDKs fill loosely (metadata, usage, tags): a value of
 * an unexpected type is treated as absent instead of failing the item, because these fields only
 * enrich a record that is otherwise sound.
 */
public final class Lenient {
  private Lenient() {}

  /** The object at {@code field}, or null when absent or not an object. */
  public static ObjectNode object(JsonNode o, String field) {
    if (o == null) return null;
    JsonNode v = o.get(field);
    return v != null && v.isObject() ? (ObjectNode) v : null;
  }

  /** A non-blank string at {@code field}, or null. */
  public static String text(JsonNode o, String field) {
    if (o == null) return null;
    JsonNode v = o.get(field);
    return v != null && v.isTextual() && !v.textValue().isBlank() ? v.textValue() : null;
  }

  /** The first non-blank string among {@code fields}. */
  public static String firstText(JsonNode o, String... fields) {
    for (String f : fields) {
      String v = text(o, f);
      if (v != null) return v;
    }
    return null;
  }

  /**
   * The first of {@code keys} in {@code o} holding a count ({@link #count}), noting in {@code notes}
   * under {@code note} where it came from ({@code where.key}); null when none does.
   */
  public static Long firstCount(JsonNode o, java.util.Map<String, String> notes, String note, String where,
      String... keys) {
    for (String k : keys) {
      Long v = count(o, k);
      if (v != null) {
        notes.put(note, where + "." + k);
        return v;
      }
    }
    return null;
  }

  /** A whole, non-negative number at {@code field} (numeric strings too), or null. */
  public static Long count(JsonNode o, String field) {
    if (o == null) return null;
    JsonNode v = o.get(field);
    if (v == null) return null;
    double d;
    if (v.isNumber()) d = v.doubleValue();
    else if (v.isTextual()) {
      try {
        d = Double.parseDouble(v.textValue().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    } else return null;
    if (!(d >= 0) || d > 9e15 || d != Math.rint(d)) return null;
    return (long) d;
  }

  /** A finite, non-negative number at {@code field}, or null. */
  public static Double amount(JsonNode o, String field) {
    if (o == null) return null;
    JsonNode v = o.get(field);
    if (v == null || !v.isNumber()) return null;
    double d = v.doubleValue();
    return d >= 0 && !Double.isInfinite(d) ? d : null;
  }

  /** Cuts {@code s} to at most {@code max} characters without splitting a surrogate pair; see {@link Text#truncate}. */
  public static String truncate(String s, int max) {
    return Text.truncate(s, max);
  }

  /**
   * Labels from tags and flat metadata, keeping only what is a valid Sextant label: a tag
   * {@code key:value} or {@code key=value} becomes that label, a plain tag that is a valid key
   * becomes {@code tag=true}, and a metadata entry with a valid key and a short scalar value is
   * copied. Values with whitespace are left out: labels are not subject to the content policy. Keys in {@code skip} and keys starting with a prefix in {@code skipPrefixes} are left
   * out; at most {@code max} labels are returned, tags first.
   *
   * @return the labels, or null when there are none
   */
  public static Map<String, String> labels(
      List<String> tags, JsonNode metadata, int max, int maxValueLength, List<String> skip, List<String> skipPrefixes) {
    Map<String, String> out = new LinkedHashMap<>();
    if (tags != null) {
      for (String tag : tags) {
        if (out.size() >= max) break;
        int sep = indexOfSeparator(tag);
        String key = sep < 0 ? tag : tag.substring(0, sep);
        String value = sep < 0 ? "true" : tag.substring(sep + 1);
        if (label(key, value, maxValueLength, skip, skipPrefixes)) out.putIfAbsent(key, value);
      }
    }
    if (metadata != null && metadata.isObject()) {
      for (Map.Entry<String, JsonNode> e : metadata.properties()) {
        if (out.size() >= max) break;
        JsonNode v = e.getValue();
        if (!(v.isTextual() || v.isNumber() || v.isBoolean())) continue;
        String value = v.asText();
        if (label(e.getKey(), value, maxValueLength, skip, skipPrefixes)) out.putIfAbsent(e.getKey(), value);
      }
    }
    return out.isEmpty() ? null : out;
  }

  private static int indexOfSeparator(String tag) {
    int colon = tag.indexOf(':');
    int eq = tag.indexOf('=');
    if (colon < 0) return eq;
    if (eq < 0) return colon;
    return Math.min(colon, eq);
  }

  private static boolean label(String key, String value, int maxValueLength, List<String> skip, List<String> prefixes) {
    if (!Validator.LABEL_KEY.matcher(key).matches() || key.startsWith("sextant_") || skip.contains(key)) return false;
    for (String p : prefixes) if (key.startsWith(p)) return false;
    if (value.isEmpty() || value.codePointCount(0, value.length()) > maxValueLength) return false;
    // Labels are kept under every content policy, so free text (anything with spaces) stays out.
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) return false;
    }
    return true;
  }
}
