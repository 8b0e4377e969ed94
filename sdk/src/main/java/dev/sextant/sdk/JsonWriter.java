package dev.sextant.sdk;

import dev.sextant.sdk.internal.Detectors;
import java.lang.reflect.Array;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;

/**
 * A small UTF-8 JSON writer into a growable byte array. Callers write structure explicitly; {@link
 * #name} and the value methods insert commas. Non-finite numbers are written as {@code null}, lone
 * surrogates as U+FFFD, and nesting deeper than {@link #MAX_DEPTH} as the string {@code "..."}.
 */
final class JsonWriter {

  static final int MAX_DEPTH = 32;

  private byte[] buf;
  private int len;
  private final boolean[] needComma = new boolean[MAX_DEPTH + 8];
  private int depth;

  /** While true, every string and name written passes the shared detectors ({@link Detectors}). */
  private boolean scrub;

  private static final String SECRET = Detectors.marker(Detectors.SECRET);

  JsonWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  int size() {
    return len;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  void reset() {
    len = 0;
    depth = 0;
    needComma[0] = false;
  }

  JsonWriter beginObject() {
    beforeValue();
    put((byte) '{');
    push();
    return this;
  }

  JsonWriter endObject() {
    depth--;
    put((byte) '}');
    return this;
  }

  JsonWriter beginArray() {
    beforeValue();
    put((byte) '[');
    push();
    return this;
  }

  JsonWriter endArray() {
    depth--;
    put((byte) ']');
    return this;
  }

  /** Turns the detectors on or off for what is written next; see {@link BatchEncoder}. */
  JsonWriter scrub(boolean on) {
    scrub = on;
    return this;
  }

  JsonWriter name(String name) {
    if (needComma[depth]) {
      put((byte) ',');
    }
    needComma[depth] = false;
    writeString(scrub ? Detectors.redact(name) : name);
    put((byte) ':');
    return this;
  }

  JsonWriter value(String value) {
    beforeValue();
    if (value == null) {
      putAscii("null");
    } else {
      writeString(scrub ? Detectors.redact(value) : value);
    }
    return this;
  }

  JsonWriter value(long value) {
    beforeValue();
    putAscii(Long.toString(value));
    return this;
  }

  JsonWriter value(double value) {
    beforeValue();
    if (!Double.isFinite(value)) {
      putAscii("null");
    } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      putAscii(Long.toString((long) value));
    } else {
      putAscii(Double.toString(value));
    }
    return this;
  }

  JsonWriter value(boolean value) {
    beforeValue();
    putAscii(value ? "true" : "false");
    return this;
  }

  JsonWriter nullValue() {
    beforeValue();
    putAscii("null");
    return this;
  }

  /** A step id: 16 lower-case hex characters, without allocating. */
  JsonWriter hexId(long id) {
    beforeValue();
    ensure(18);
    buf[len++] = '"';
    Ids.hex(id, buf, len, 16);
    len += 16;
    buf[len++] = '"';
    return this;
  }

  /** RFC 3339 UTC time with nanoseconds, e.g. {@code 2026-11-22T10:00:00.123456789Z}. */
  JsonWriter time(long epochNanos) {
    beforeValue();
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    LocalDate date = LocalDate.ofEpochDay(days);
    ensure(32);
    buf[len++] = '"';
    digits(Math.max(0, Math.min(9999, date.getYear())), 4);
    buf[len++] = '-';
    digits(date.getMonthValue(), 2);
    buf[len++] = '-';
    digits(date.getDayOfMonth(), 2);
    buf[len++] = 'T';
    digits(secondOfDay / 3600, 2);
    buf[len++] = ':';
    digits(secondOfDay / 60 % 60, 2);
    buf[len++] = ':';
    digits(secondOfDay % 60, 2);
    buf[len++] = '.';
    digits(nanos, 9);
    buf[len++] = 'Z';
    buf[len++] = '"';
    return this;
  }

  /** Any value: maps, iterables, arrays, strings, numbers, booleans, null; others as {@code toString()}. */
  JsonWriter any(Object value) {
    if (value == null) {
      return nullValue();
    }
    if (value instanceof String s) {
      return value(s);
    }
    if (value instanceof Boolean b) {
      return value(b.booleanValue());
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return value(((Number) value).longValue());
    }
    if (value instanceof Number n) {
      if (value instanceof Double || value instanceof Float) {
        return value(n.doubleValue());
      }
      beforeValue();
      putAscii(n.toString());
      return this;
    }
    if (depth >= MAX_DEPTH) {
      return value("...");
    }
    if (value instanceof Map<?, ?> map) {
      beginObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        name(key);
        Object v = entry.getValue();
        // a value under a secret-like key is replaced whole, as the server does
        any(scrub && v instanceof CharSequence && Detectors.secretKey(key) ? SECRET : v);
      }
      return endObject();
    }
    if (value instanceof Iterable<?> iterable) {
      beginArray();
      for (Object item : iterable) {
        any(item);
      }
      return endArray();
    }
    if (value.getClass().isArray()) {
      beginArray();
      int n = Array.getLength(value);
      for (int i = 0; i < n; i++) {
        any(Array.get(value, i));
      }
      return endArray();
    }
    return value(String.valueOf(value));
  }

  private void push() {
    depth++;
    needComma[depth] = false;
  }

  private void beforeValue() {
    if (needComma[depth]) {
      put((byte) ',');
    }
    needComma[depth] = true;
  }

  private void writeString(String s) {
    int n = s.length();
    ensure(n + 2);
    buf[len++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          put((byte) c);
        } else {
          escape(c);
        }
      } else if (c < 0x800) {
        ensure(2);
        buf[len++] = (byte) (0xC0 | (c >> 6));
        buf[len++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        ensure(4);
        buf[len++] = (byte) (0xF0 | (cp >> 18));
        buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        buf[len++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        char d = Character.isSurrogate(c) ? '\uFFFD' : c;
        ensure(3);
        buf[len++] = (byte) (0xE0 | (d >> 12));
        buf[len++] = (byte) (0x80 | ((d >> 6) & 0x3F));
        buf[len++] = (byte) (0x80 | (d & 0x3F));
      }
    }
    put((byte) '"');
  }

  private void escape(char c) {
    switch (c) {
      case '"' -> putAscii("\\\"");
      case '\\' -> putAscii("\\\\");
      case '\n' -> putAscii("\\n");
      case '\r' -> putAscii("\\r");
      case '\t' -> putAscii("\\t");
      case '\b' -> putAscii("\\b");
      case '\f' -> putAscii("\\f");
      default -> {
        ensure(6);
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = '0';
        buf[len++] = '0';
        Ids.hex(c, buf, len, 2);
        len += 2;
      }
    }
  }

  private void digits(int value, int count) {
    for (int i = count - 1; i >= 0; i--) {
      buf[len + i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    len += count;
  }

  private void putAscii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  private void put(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }
}
