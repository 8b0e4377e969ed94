package dev.sextant.protocol.semconv;

import dev.sextant.model.FailureTaxonomy;
import dev.sextant.protocol.ErrorClassifier;
import java.util.Locale;

/**
 * Maps what instrumentations put in {@code error.type} or {@code exception.type} (exception class
 * names, provider error codes, HTTP statuses) onto the documented failure codes where the meaning
 * is unambiguous ({@link FailureTaxonomy#documentedCode}, plus HTTP statuses).
 */
public final class ErrorCodes {
  private ErrorCodes() {}

  /**
   * A documented code when the raw value clearly means one; else, for an exception class name, its
   * simple name in snake case ({@code java.lang.IllegalStateException} → {@code illegal_state_exception});
   * else the raw value itself.
   */
  public static String code(String raw) {
    if (raw == null || raw.isBlank()) return null;
    String s = raw.trim().toLowerCase(Locale.ROOT);
    // HTTP statuses and OpenTelemetry's catch-all value
    switch (s) {
      case "408": case "504": return "timeout";
      case "429": return "rate_limited";
      case "401": case "403": return "auth_failed";
      case "_other": return "internal";
      default: break;
    }
    String documented = FailureTaxonomy.documentedCode(raw);
    if (documented != null) return documented;
    // an exception class name gets the same free code as on the LangSmith and Langfuse paths
    String classified = ErrorClassifier.code(raw);
    return classified.equals("error") ? raw.trim() : classified;
  }
}
