package dev.sextant.integrations;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A provider's error mapped to Sextant's failure taxonomy: always type {@code model}, with a code
 * from the HTTP status, the provider's own error code and the exception. See {@link #of}.
 *
 * @param code {@code rate_limited}, {@code timeout}, {@code context_overflow}, {@code auth_failed},
 *     {@code schema_invalid}, {@code malformed_output}, {@code cancelled}, {@code internal}, or one
 *     of the free codes {@code bad_request}, {@code not_found}, {@code quota_exceeded}, {@code
 *     overloaded}, {@code unavailable}, {@code request_too_large}, {@code network}
 * @param httpStatus the provider's HTTP status, or 0 when there was no answer
 * @param providerCode the provider's own error code or type, such as {@code rate_limit_error}, or
 *     {@code null}
 */
public record ProviderError(String code, int httpStatus, String providerCode, String message) {

  /** The failure type of every provider error. */
  public static final String TYPE = "model";

  /**
   * Classifies an error. {@code httpStatus} is the provider's status (0 without an answer), {@code
   * providerCode} its error code or type, {@code malformed} true when the answer could not be read,
   * {@code error} the exception the client threw (for timeouts, cancellation and I/O errors).
   */
  public static ProviderError of(int httpStatus, String providerCode, String message, boolean malformed, Throwable error) {
    return new ProviderError(code(httpStatus, providerCode, message, malformed, unwrap(error)), httpStatus,
        providerCode, message);
  }

  static String code(int status, String providerCode, String message, boolean malformed, Throwable error) {
    if (status > 0) {
      return statusCode(status, providerCode, message);
    }
    if (malformed) {
      return "malformed_output";
    }
    if (isTimeout(error)) {
      return "timeout";
    }
    if (isCancellation(error)) {
      return "cancelled";
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return "network";
      }
    }
    return "internal";
  }

  private static String statusCode(int status, String providerCode, String message) {
    switch (status) {
      case 401, 403:
        return "auth_failed";
      case 404:
        return "not_found";
      case 408, 504:
        return "timeout";
      case 413:
        return "request_too_large";
      case 422:
        return "schema_invalid";
      case 429:
        return "insufficient_quota".equals(providerCode) ? "quota_exceeded" : "rate_limited";
      case 502, 503:
        return "unavailable";
      case 529:
        return "overloaded";
      default:
        break;
    }
    if (status >= 500) {
      return "internal";
    }
    return isContextOverflow(providerCode, message) ? "context_overflow" : "bad_request";
  }

  /**
   * True when a provider's error code or message says the prompt does not fit the model's context:
   * OpenAI says {@code context_length_exceeded}, Anthropic {@code prompt is too long}, others name the
   * context length, window or too many tokens. Also used by the framework integrations on their
   * exceptions' messages.
   */
  public static boolean isContextOverflow(String providerCode, String message) {
    if ("context_length_exceeded".equals(providerCode)) {
      return true;
    }
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("context length") || m.contains("context window") || m.contains("prompt is too long")
        || m.contains("maximum context") || m.contains("context_length_exceeded") || m.contains("too many tokens");
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean isTimeout(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException || t instanceof TimeoutException
          || (t instanceof InterruptedIOException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("timeout"))) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static boolean isCancellation(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof CancellationException || t instanceof InterruptedException || t instanceof InterruptedIOException) {
        return true;
      }
    }
    return false;
  }
}
