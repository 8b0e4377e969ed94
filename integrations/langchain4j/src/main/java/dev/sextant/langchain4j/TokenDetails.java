package dev.sextant.langchain4j;

import dev.langchain4j.model.output.TokenUsage;
import dev.sextant.sdk.Step;
import java.lang.reflect.Method;

/**
 * Cached input tokens and reasoning tokens, which LangChain4j reports only in its providers' own
 * usage classes: {@code OpenAiTokenUsage} ({@code inputTokensDetails().cachedTokens()}, {@code
 * outputTokensDetails().reasoningTokens()}) and {@code AnthropicTokenUsage} ({@code
 * cacheReadInputTokens()}). They are read by method name, looked up once per class, so no provider
 * module is needed to compile or run the integration.
 */
final class TokenDetails {

  /** The accessors one usage class has; a missing one is {@code null}. */
  private record Readers(Method inputDetails, Method cached, Method outputDetails, Method reasoning, Method cacheRead) {}

  private static final ClassValue<Readers> READERS = new ClassValue<>() {
    @Override
    protected Readers computeValue(Class<?> type) {
      Method inputDetails = method(type, "inputTokensDetails");
      Method outputDetails = method(type, "outputTokensDetails");
      return new Readers(inputDetails, inputDetails == null ? null : method(inputDetails.getReturnType(), "cachedTokens"),
          outputDetails, outputDetails == null ? null : method(outputDetails.getReturnType(), "reasoningTokens"),
          method(type, "cacheReadInputTokens"));
    }
  };

  private TokenDetails() {}

  /** Records what {@code usage} says beyond input and output tokens on {@code step}. */
  static void record(Step step, TokenUsage usage) {
    if (usage.getClass() == TokenUsage.class) {
      return;
    }
    Readers readers = READERS.get(usage.getClass());
    long cached = number(readers.cacheRead(), usage);
    if (cached < 0) {
      cached = number(readers.cached(), value(readers.inputDetails(), usage));
    }
    if (cached >= 0) {
      step.cacheReadTokens(cached);
    }
    long reasoning = number(readers.reasoning(), value(readers.outputDetails(), usage));
    if (reasoning >= 0) {
      step.reasoningTokens(reasoning);
    }
  }

  private static Method method(Class<?> type, String name) {
    try {
      Method method = type.getMethod(name);
      method.setAccessible(true);
      return method;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Object value(Method method, Object target) {
    if (method == null || target == null) {
      return null;
    }
    try {
      return method.invoke(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static long number(Method method, Object target) {
    return value(method, target) instanceof Number n ? n.longValue() : -1;
  }
}
