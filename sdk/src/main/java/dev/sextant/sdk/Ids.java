package dev.sextant.sdk;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Identifier generation. Step ids are random non-zero 64-bit values kept as {@code long} and rendered
 * as 16 lower-case hex characters only when needed; run ids are version 7 UUID strings (RFC 9562):
 * the time in milliseconds since the epoch, then 74 random bits, so that runs started later have
 * ids that sort later and a store's index of run ids takes new runs at one end rather than at
 * random places. {@link ThreadLocalRandom} is enough: ids must be unique, not unpredictable.
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

  /** A version 7 UUID of the time {@code epochMillis}: 48 bits of time, the version, 74 random bits, the variant. */
  static String runId(long epochMillis) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = ((epochMillis & 0xFFFF_FFFF_FFFFL) << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
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
