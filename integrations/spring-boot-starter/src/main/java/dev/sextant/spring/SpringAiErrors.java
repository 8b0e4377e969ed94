package dev.sextant.spring;

import dev.sextant.integrations.ProviderError;
import java.util.Locale;

/**
 * Maps the exceptions of Spring AI model calls to Sextant's failure taxonomy. Spring AI's OpenAI
 * model raises the OpenAI Java SDK's exceptions ({@code RateLimitException}, {@code
 * UnauthorizedException}, {@code BadRequestException}, …); other providers raise Spring's
 * {@code NonTransientAiException} / {@code TransientAiException} with the HTTP status in the message.
 * Both are read by class name and message, so no provider library is needed at compile time.
 */
final class SpringAiErrors {

  private static final int MAX_CAUSES = 8;

  private SpringAiErrors() {}

  record Classified(String type, String code, String message) {}

  /** The failure a model call's exception stands for, or null when it is not recognised. */
  static Classified classify(Throwable error) {
    Throwable t = error;
    for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
      String code = code(t);
      if (code != null) {
        return new Classified("model", code, message(error));
      }
    }
    return null;
  }

  private static String code(Throwable t) {
    String name = t.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    String text = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
    if (name.contains("timeout") || name.contains("timedout") || text.startsWith("http 408") || text.startsWith("http 504")) {
      return "timeout";
    }
    if (name.contains("ratelimit") || name.contains("toomanyrequests") || text.startsWith("http 429")
        || text.startsWith("429")) {
      return "rate_limited";
    }
    if (name.contains("unauthorized") || name.contains("permissiondenied") || name.contains("authentication")
        || text.startsWith("http 401") || text.startsWith("http 403") || text.startsWith("401") || text.startsWith("403")) {
      return "auth_failed";
    }
    if (ProviderError.isContextOverflow(null, text)) {
      return "context_overflow";
    }
    if (name.contains("badrequest") || name.contains("unprocessableentity") || text.startsWith("http 400")
        || text.startsWith("400")) {
      return "invalid_request";
    }
    if (name.contains("notfound") || text.startsWith("http 404") || text.startsWith("404")) {
      return "model_not_found";
    }
    if (name.contains("internalserver") || text.startsWith("http 5") || name.contains("transientai")) {
      return "provider_error";
    }
    return null;
  }

  static String message(Throwable error) {
    String text = error.getMessage();
    return text == null ? error.getClass().getName() : error.getClass().getName() + ": " + text;
  }
}
