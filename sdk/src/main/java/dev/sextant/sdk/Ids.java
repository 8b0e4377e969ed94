package dev.sextant.sdk;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Identifier generation. Step ids are random non-zero 64-bit values kept as {@code long} and rendered
 * as 16 lower-case hex characters only when needed; run ids are random (version 4) UUID strings.
 * {@link ThreadLocalRandom} is enough: ids must be unique, not unpredictable.
 */
final class Ids {

  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private Ids() {}

  static long stepId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    return id;
  }

  static String runId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    byte[] out = new byte[36];
    hex(high >>> 32, out, 0, 8);
    out[8] = '-';
    hex(high >>> 16, out, 9, 4);
    out[13] = '-';
    hex(high, out, 14, 4);
    out[18] = '-';
    hex(low >>> 48, out, 19, 4);
    out[23] = '-';
    hex(low, out, 24, 12);
    return new String(out, java.nio.charset.StandardCharsets.US_ASCII);
  }

  static String hex(long id) {
    if (id == 0) {
      return null;
    }
    byte[] out = new byte[16];
    hex(id, out, 0, 16);
    return new String(out, java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Writes the low {@code digits} hex digits of {@code value} into {@code out} at {@code offset}. */
  static void hex(long value, byte[] out, int offset, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      out[offset + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }
}
