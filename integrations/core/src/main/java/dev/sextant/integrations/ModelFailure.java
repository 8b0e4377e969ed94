package dev.sextant.integrations;

import java.lang.reflect.Method;
import java.util.Locale;

/**
 * The failure a model call's exception stands for, for the framework integrations (LangChain4j,
 * Spring AI), which see their framework's exceptions rather than a provider client's. The HTTP
 * status is read from the exception or one of its causes — a {@code statusCode()} method (the
 * OpenAI and Anthropic SDKs, LangChain4j's {@code HttpException}), else a message starting {@code
 * HTTP 429} or {@code 429 -} (Spring AI's), else the exception's class name ({@code
 * RateLimitException} is 429, {@code AuthenticationException} 401, …) — and turned into a code by the same table as the
 * provider integrations ({@link ProviderError}), so every integration names a failure alike.
 *
 * @param type {@code model}, or {@code guardrail} for a provider's content filter, {@code tool} for
 *     tool arguments the model got wrong
 */
public record ModelFailure(String type, String code, String message) {

  private static final int MAX_CAUSES = 8;

  /** The failure {@code error} stands for, or {@code null} when it is not a model call's failure. */
  public static ModelFailure of(Throwable error) {
    Throwable t = error;
    for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
      String name = t.getClass().getSimpleName().toLowerCase(Locale.ROOT);
      if (name.contains("contentfilter")) {
        return new ModelFailure("guardrail", "content_filtered", message(error));
      }
      if (name.contains("toolarguments")) {
        return new ModelFailure("tool", "schema_invalid", message(error));
      }
      if (name.contains("unresolvedmodelserver")) {
        return new ModelFailure(ProviderError.TYPE, "network", message(error));
      }
      int status = status(t, name);
      if (status > 0) {
        String code = ProviderError.code(status, null, messages(error), false, t);
        return new ModelFailure(ProviderError.TYPE, code, message(error));
      }
    }
    String code = ProviderError.code(0, null, null, false, error);
    return code.equals("internal") ? null : new ModelFailure(ProviderError.TYPE, code, message(error));
  }

  /** The exception's class name and message, as a step's error message. */
  public static String message(Throwable error) {
    String text = error.getMessage();
    return text == null ? error.getClass().getName() : error.getClass().getName() + ": " + text;
  }

  private static int status(Throwable t, String name) {
    int status = statusMethod(t);
    if (status > 0) {
      return status;
    }
    status = statusInMessage(t.getMessage());
    return status > 0 ? status : statusOfName(name);
  }

  private static int statusMethod(Throwable t) {
    try {
      Method method = t.getClass().getMethod("statusCode");
      if (method.getReturnType() == int.class && method.trySetAccessible()) {
        return (int) method.invoke(t);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // no status on this exception
    }
    return 0;
  }

  /** The HTTP status the provider clients' and frameworks' exception classes stand for. */
  static int statusOfName(String name) {
    if (name.contains("ratelimit") || name.contains("toomanyrequests")) {
      return 429;
    }
    if (name.contains("unauthorized") || name.contains("authentication")) {
      return 401;
    }
    if (name.contains("permissiondenied") || name.contains("forbidden")) {
      return 403;
    }
    if (name.contains("notfound")) {
      return 404;
    }
    if (name.contains("unprocessableentity")) {
      return 422;
    }
    if (name.contains("badrequest") || name.contains("invalidrequest")) {
      return 400;
    }
    if (name.contains("timeout") || name.contains("timedout")) {
      return 408;
    }
    if (name.contains("internalserver")) {
      return 500;
    }
    if (name.startsWith("transientai")) {
      return 503;
    }
    return 0;
  }

  /** A status at the start of a message: {@code HTTP 429 - …} or {@code 429 - …}. */
  static int statusInMessage(String message) {
    if (message == null) {
      return 0;
    }
    String m = message.regionMatches(true, 0, "HTTP ", 0, 5) ? message.substring(5) : message;
    if (m.length() < 3 || (m.length() > 3 && Character.isDigit(m.charAt(3)))) {
      return 0;
    }
    int status = 0;
    for (int i = 0; i < 3; i++) {
      char c = m.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      status = status * 10 + (c - '0');
    }
    return status >= 400 && status < 600 ? status : 0;
  }

  private static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    Throwable t = error;
    for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
      if (t.getMessage() != null) {
        all.append(t.getMessage()).append('\n');
      }
    }
    return all.toString();
  }
}
