package dev.sextant.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

class ModelFailureTest {

  /** Shaped like the provider SDKs' service exceptions and LangChain4j's {@code HttpException}. */
  static final class ServiceException extends RuntimeException {
    private final int status;

    ServiceException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int statusCode() {
      return status;
    }
  }

  static final class RateLimitException extends RuntimeException {
    RateLimitException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static final class ContentFilteredException extends RuntimeException {}

  static final class ToolArgumentsException extends RuntimeException {}

  static final class NonTransientAiException extends RuntimeException {
    NonTransientAiException(String message) {
      super(message);
    }
  }

  private static String failure(Throwable t) {
    ModelFailure f = ModelFailure.of(t);
    return f == null ? null : f.type() + "/" + f.code();
  }

  @Test
  void statusMethod_className_andMessage_allGoThroughTheProviderTable() {
    assertThat(failure(new ServiceException(429, "slow down"))).isEqualTo("model/rate_limited");
    assertThat(failure(new ServiceException(401, "bad key"))).isEqualTo("model/auth_failed");
    assertThat(failure(new ServiceException(404, "no such model"))).isEqualTo("model/not_found");
    assertThat(failure(new ServiceException(503, "down"))).isEqualTo("model/unavailable");
    assertThat(failure(new RateLimitException("wrapped", null))).isEqualTo("model/rate_limited");
    assertThat(failure(new NonTransientAiException("HTTP 403 - {\"error\":\"forbidden\"}"))).isEqualTo("model/auth_failed");
    assertThat(failure(new NonTransientAiException("400 - {\"error\":{\"message\":\"This model's maximum context length is 8192 tokens\"}}")))
        .isEqualTo("model/context_overflow");
    assertThat(failure(new NonTransientAiException("400 - unknown parameter"))).isEqualTo("model/bad_request");
  }

  @Test
  void causes_areSearched_andTheContextLengthMayBeNamedByAnyOfThem() {
    RuntimeException wrapped = new RuntimeException("model call failed",
        new ServiceException(400, "This model's maximum context length is 128000 tokens."));
    assertThat(failure(wrapped)).isEqualTo("model/context_overflow");
    assertThat(ModelFailure.of(wrapped).message()).isEqualTo("java.lang.RuntimeException: model call failed");
    assertThat(failure(new RuntimeException(new HttpTimeoutException("request timed out")))).isEqualTo("model/timeout");
  }

  @Test
  void guardrailAndToolFailures_keepTheirOwnTypes() {
    assertThat(failure(new ContentFilteredException())).isEqualTo("guardrail/content_filtered");
    assertThat(failure(new ToolArgumentsException())).isEqualTo("tool/schema_invalid");
  }

  @Test
  void withoutAnAnswer_networkAndTimeoutAreKnown_andAnythingElseIsNotAModelFailure() {
    assertThat(failure(new RuntimeException(new ConnectException("Connection refused")))).isEqualTo("model/network");
    assertThat(failure(new IllegalStateException("a bug in the application"))).isNull();
    assertThat(failure(new IllegalStateException("4040 widgets"))).isNull();
  }
}
