package dev.sextant.langchain4j;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.ToolArgumentsException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.sextant.integrations.ProviderError;

/**
 * Maps the exceptions LangChain4j raises for model calls to Sextant's failure taxonomy: the type
 * {@code model} (or {@code guardrail} for a provider's content filter) and a code from the exception
 * class LangChain4j chose from the HTTP status, refined by the provider's error body (a 400 whose
 * body names the context length is {@code context_overflow}).
 */
final class ModelErrors {

  private static final int MAX_CAUSES = 8;

  private ModelErrors() {}

  /** A failure type, code and message. */
  record Classified(String type, String code, String message) {}

  /** The failure an exception from a model call stands for, or null if it is not one LangChain4j maps. */
  static Classified classify(Throwable error) {
    Throwable t = error;
    for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
      String code = code(t);
      if (code != null) {
        String type = t instanceof ContentFilteredException ? "guardrail"
            : t instanceof ToolArgumentsException ? "tool" : "model";
        return new Classified(type, code, message(error));
      }
    }
    return null;
  }

  private static String code(Throwable t) {
    if (t instanceof RateLimitException) {
      return "rate_limited";
    }
    if (t instanceof AuthenticationException) {
      return "auth_failed";
    }
    if (t instanceof TimeoutException || t instanceof java.net.http.HttpTimeoutException
        || t instanceof java.net.SocketTimeoutException) {
      return "timeout";
    }
    if (t instanceof ContentFilteredException) {
      return "content_filtered";
    }
    if (t instanceof ModelNotFoundException) {
      return "model_not_found";
    }
    if (t instanceof InvalidRequestException) {
      return isContextLength(t) ? "context_overflow" : "invalid_request";
    }
    if (t instanceof InternalServerException) {
      return "provider_error";
    }
    if (t instanceof UnresolvedModelServerException) {
      return "unreachable";
    }
    if (t instanceof ToolArgumentsException) {
      return "schema_invalid";
    }
    if (t instanceof HttpException http) {
      return byStatus(http.statusCode(), http);
    }
    return null;
  }

  private static String byStatus(int status, Throwable t) {
    switch (status) {
      case 401:
      case 403:
        return "auth_failed";
      case 408:
      case 504:
        return "timeout";
      case 429:
        return "rate_limited";
      default:
        if (status >= 500) {
          return "provider_error";
        }
        return isContextLength(t) ? "context_overflow" : "invalid_request";
    }
  }

  /** True when the message of {@code t} or a cause names the context length (the wording the provider integrations recognise, {@link ProviderError#isContextOverflow}). */
  private static boolean isContextLength(Throwable t) {
    for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
      if (ProviderError.isContextOverflow(null, t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  static String message(Throwable error) {
    String text = error.getMessage();
    return text == null ? error.getClass().getName() : error.getClass().getName() + ": " + text;
  }
}
