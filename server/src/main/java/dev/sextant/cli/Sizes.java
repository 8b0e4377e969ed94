package dev.sextant.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes ({@code 10MiB}, {@code 512KB}, {@code 1048576}) and durations ({@code 60s}, {@code 2m}, {@code 500ms}) of options. */
final class Sizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]i?b?|b)?");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  private Sizes() {}

  static long bytes(String option, String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " must be a size such as 10MiB, 512KiB or 1048576, got \"" + text + "\"");
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    long scale = switch (unit.charAt(0)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      default -> 1;
    };
    long bytes;
    try {
      bytes = Math.multiplyExact(Long.parseLong(m.group(1)), scale);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(option + " is too large: \"" + text + "\"");
    }
    if (bytes < 1024) throw new IllegalArgumentException(option + " must be at least 1KiB, got \"" + text + "\"");
    return bytes;
  }

  static Duration duration(String option, String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " must be a duration such as 60s, 2m or 500ms, got \"" + text + "\"");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d = switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
    if (d.isZero()) throw new IllegalArgumentException(option + " must be more than 0, got \"" + text + "\"");
    return d;
  }
}
