package dev.sextant.sdk;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validation and normalisation of everything users pass in: labels (the server's rules), metadata
 * (privacy: safe values only), step types, failure types and codes, and captured content. Methods
 * return {@code null} for a value that must be dropped; callers count and log it.
 */
final class Values {

  static final int MAX_LABELS = 64;
  static final int MAX_LABEL_VALUE_CHARS = 256;
  static final int MAX_METADATA_ENTRIES = 64;
  static final int MAX_SAFE_STRING = 64;
  static final int MAX_CAPTURED_METADATA_STRING = 1024;
  /** Names, types, models, agent, version, environment, session: the server's limit for them. */
  static final int MAX_NAME = 256;
  /** Step types and failure codes are normalised to at most this many characters. */
  static final int MAX_TYPE = 64;
  static final int MAX_MESSAGE = 1024;
  static final int MAX_CONTENT_STRING = 16_384;
  static final int MAX_CONTENT_ITEMS = 1_000;
  static final int MAX_CONTENT_DEPTH = 16;

  static final Set<String> FAILURE_TYPES =
      Set.of("tool", "model", "retrieval", "orchestration", "guardrail", "unknown");

  /**
   * Direct-mapped caches of strings that passed a check, by identity: code passes the same literals
   * again and again, so most checks become one array load. Racy writes are harmless: a slot holds
   * either nothing or a string that did pass.
   */
  private static final int CACHE_MASK = 255;
  private static final String[] SAFE_KEYS = new String[CACHE_MASK + 1];
  private static final String[] SAFE_STRINGS = new String[CACHE_MASK + 1];
  private static final String[] CLEAN_TYPES = new String[CACHE_MASK + 1];

  private Values() {}

  static final String SYSTEM_LABEL_PREFIX = "sextant_";

  /** Label keys: {@code ^[a-z][a-z0-9_]{0,62}$}, not starting with the reserved {@code sextant_}. */
  static String labelKeyProblem(String key) {
    if (key == null || key.isEmpty()) {
      return "label key is empty";
    }
    if (key.length() > 63) {
      return "label key '" + shorten(key) + "' is longer than 63 characters";
    }
    char first = key.charAt(0);
    if (first < 'a' || first > 'z') {
      return "label key '" + shorten(key) + "' must start with a lower-case letter";
    }
    for (int i = 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return "label key '" + shorten(key) + "' may contain only a-z, 0-9 and _";
      }
    }
    if (key.startsWith("sextant_")) {
      return "label key '" + shorten(key) + "' uses the reserved prefix sextant_";
    }
    return null;
  }

  static String labelValueProblem(String key, String value) {
    if (value == null) {
      return "label '" + key + "' has no value";
    }
    if (value.codePointCount(0, value.length()) > MAX_LABEL_VALUE_CHARS) {
      return "label '" + key + "' has a value longer than 256 characters";
    }
    return null;
  }

  /** Metadata keys: a letter or {@code _}, then letters, digits, {@code _ . -}; at most 64 chars. */
  static boolean validMetadataKey(String key) {
    if (key == null || key.isEmpty() || key.length() > 64) {
      return false;
    }
    int slot = key.hashCode() & CACHE_MASK;
    if (SAFE_KEYS[slot] == key) {
      return true;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      if (!(letter || (i > 0 && ((c >= '0' && c <= '9') || c == '.' || c == '-')))) {
        return false;
      }
    }
    SAFE_KEYS[slot] = key;
    return true;
  }

  /**
   * A metadata string passes when it is short and identifier-like (letters, digits, {@code _ . : / -
   * +}, no spaces), so free text and most personal data cannot leak through metadata. With content
   * capture enabled any string up to 1024 characters passes.
   */
  static boolean safeString(String value, boolean captureContent) {
    if (value == null) {
      return false;
    }
    if (captureContent) {
      return value.length() <= MAX_CAPTURED_METADATA_STRING;
    }
    if (value.length() > MAX_SAFE_STRING) {
      return false;
    }
    int slot = value.hashCode() & CACHE_MASK;
    if (SAFE_STRINGS[slot] == value) {
      return true;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '.'
          || c == ':'
          || c == '/'
          || c == '-'
          || c == '+')) {
        return false;
      }
    }
    SAFE_STRINGS[slot] = value;
    return true;
  }

  /** A safe attribute value of any type, or {@code null} when it must be dropped. */
  static Object safeValue(Object value, boolean captureContent) {
    if (value instanceof String s) {
      return safeString(s, captureContent) ? s : null;
    }
    if (value instanceof Boolean) {
      return value;
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) ? d : null;
    }
    if (value instanceof Enum<?> e) {
      return safeString(e.name(), captureContent) ? e.name() : null;
    }
    if (value instanceof Character c) {
      String s = c.toString();
      return safeString(s, captureContent) ? s : null;
    }
    return null;
  }

  /**
   * Lower-case step type; the common case (already lower case) allocates nothing. Characters outside
   * {@code a-z 0-9 _ -} become {@code _}; a missing type becomes {@code custom}.
   */
  static String stepType(String type, Sextant sdk) {
    if (type == null || type.isEmpty()) {
      return "custom";
    }
    int n = type.length();
    int slot = type.hashCode() & CACHE_MASK;
    if (CLEAN_TYPES[slot] == type) {
      return type;
    }
    if (n <= MAX_TYPE) {
      boolean clean = true;
      for (int i = 0; i < n; i++) {
        char c = type.charAt(i);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
          clean = false;
          break;
        }
      }
      if (clean) {
        CLEAN_TYPES[slot] = type;
        return type;
      }
    }
    String lower = type.strip().toLowerCase(Locale.ROOT);
    if (lower.length() > MAX_TYPE) {
      sdk.cutWarning("step type", type, MAX_TYPE);
    }
    StringBuilder out = new StringBuilder(Math.min(lower.length(), MAX_TYPE));
    for (int i = 0; i < lower.length() && out.length() < MAX_TYPE; i++) {
      char c = lower.charAt(i);
      out.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ? c : '_');
    }
    return out.length() == 0 ? "custom" : out.toString();
  }

  /**
   * A name, type, model or similar text field: {@code fallback} when missing, else the value, cut to
   * the server's 256 characters when longer (counted and logged by {@code sdk}).
   */
  static String name(String name, String fallback, Sextant sdk, String what) {
    if (name == null || name.isEmpty()) {
      return fallback;
    }
    return name.length() <= MAX_NAME ? name : sdk.cut(what, name, MAX_NAME);
  }

  /**
   * The first {@code max} UTF-16 characters of {@code s} (the unit the server counts in), one fewer
   * when the cut would split a surrogate pair.
   */
  static String truncate(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = max;
    if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1)) && Character.isLowSurrogate(s.charAt(end))) {
      end--;
    }
    return s.substring(0, end);
  }

  /** {@code null} when the type is not one of the six failure types. */
  static String failureType(String type) {
    if (type == null) {
      return null;
    }
    String lower = type.strip().toLowerCase(Locale.ROOT);
    return FAILURE_TYPES.contains(lower) ? lower : null;
  }

  /** Lower-case snake case, at most 64 characters (a longer code is cut, counted and logged); {@code internal} when missing. */
  static String failureCode(String code, Sextant sdk) {
    if (code == null || code.isBlank()) {
      return "internal";
    }
    String lower = code.strip().toLowerCase(Locale.ROOT);
    if (lower.length() > MAX_TYPE) {
      sdk.cutWarning("failure code", code, MAX_TYPE);
    }
    StringBuilder out = new StringBuilder(Math.min(lower.length(), MAX_TYPE));
    for (int i = 0; i < lower.length() && out.length() < MAX_TYPE; i++) {
      char c = lower.charAt(i);
      out.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
    }
    return out.toString();
  }

  static String message(String message) {
    if (message == null) {
      return null;
    }
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE);
  }

  /**
   * A deep, bounded copy of captured content: maps, collections and arrays become immutable maps and
   * lists, strings are cut at 16 KiB, numbers and booleans stay, anything else becomes its {@code
   * toString()}. Copying on capture means later changes by the caller cannot race the exporter.
   */
  static Object content(Object value) {
    return content(value, 0);
  }

  private static Object content(Object value, int depth) {
    if (value == null || value instanceof Boolean || value instanceof Number) {
      if (value instanceof Double d && !Double.isFinite(d)) {
        return null;
      }
      if (value instanceof Float f && !Float.isFinite(f)) {
        return null;
      }
      return value;
    }
    if (value instanceof CharSequence || value instanceof Character || value instanceof Enum<?>) {
      return cut(value.toString());
    }
    if (depth >= MAX_CONTENT_DEPTH) {
      return "...";
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (copy.size() >= MAX_CONTENT_ITEMS) {
          break;
        }
        copy.put(String.valueOf(entry.getKey()), content(entry.getValue(), depth + 1));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof Collection<?> collection) {
      List<Object> copy = new ArrayList<>(Math.min(collection.size(), MAX_CONTENT_ITEMS));
      for (Object item : collection) {
        if (copy.size() >= MAX_CONTENT_ITEMS) {
          break;
        }
        copy.add(content(item, depth + 1));
      }
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof Object[] array) {
      return content(java.util.Arrays.asList(array), depth);
    }
    return cut(String.valueOf(value));
  }

  private static String cut(String s) {
    return s.length() <= MAX_CONTENT_STRING ? s : s.substring(0, MAX_CONTENT_STRING);
  }

  static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
