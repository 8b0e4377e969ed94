package dev.sextant.model;

/**
 * Cutting text to a length. Lengths are in UTF-16 units, as {@link String#length()} counts them;
 * a cut never falls between the two halves of a surrogate pair, so an emoji is kept or dropped
 * whole and the result is always valid Unicode.
 */
public final class Text {
  private Text() {}

  /** {@code s} cut to at most {@code max} characters; null stays null. */
  public static String truncate(String s, int max) {
    if (s == null || s.length() <= max) return s;
    int end = max;
    if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) end--;
    return s.substring(0, end);
  }

  /**
   * {@code s} for quoting in a message: unchanged when it has at most {@code max} characters,
   * else cut so that with a trailing {@code ...} it has at most {@code max}.
   */
  public static String abbreviate(String s, int max) {
    return s == null || s.length() <= max ? s : truncate(s, max - 3) + "...";
  }

  /** {@code s} cut to {@code max} characters followed by {@code …} when it is longer, to show it was cut. */
  public static String marked(String s, int max) {
    return s == null || s.length() <= max ? s : truncate(s, max) + "…";
  }
}
