package dev.sextant.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ProviderErrorTest {

  private static String code(int status, String providerCode, String message) {
    return ProviderError.of(status, providerCode, message, false, null).code();
  }

  @Test
  void httpStatuses_mapToTheTaxonomy() {
    assertThat(code(429, "rate_limit_exceeded", "Rate limit reached")).isEqualTo("rate_limited");
    assertThat(code(429, "insufficient_quota", "You exceeded your current quota")).isEqualTo("quota_exceeded");
    assertThat(code(401, "invalid_api_key", "Incorrect API key")).isEqualTo("auth_failed");
    assertThat(code(403, "permission_error", "no access")).isEqualTo("auth_failed");
    assertThat(code(404, "not_found_error", "model: claude-x")).isEqualTo("not_found");
    assertThat(code(408, null, null)).isEqualTo("timeout");
    assertThat(code(504, null, null)).isEqualTo("timeout");
    assertThat(code(413, "request_too_large", "Request exceeds the maximum size")).isEqualTo("request_too_large");
    assertThat(code(422, null, "invalid schema")).isEqualTo("schema_invalid");
    assertThat(code(500, "api_error", "Internal server error")).isEqualTo("internal");
    assertThat(code(503, null, null)).isEqualTo("unavailable");
    assertThat(code(529, "overloaded_error", "Overloaded")).isEqualTo("overloaded");
    assertThat(code(400, "invalid_request_error", "max_tokens: must be positive")).isEqualTo("bad_request");
  }

  @Test
  void contextLengthErrors_areContextOverflow_forEitherProvidersWording() {
    assertThat(code(400, "context_length_exceeded", "any")).isEqualTo("context_overflow");
    assertThat(code(400, "invalid_request_error", "This model's maximum context length is 128000 tokens."))
        .isEqualTo("context_overflow");
    assertThat(code(400, "invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum"))
        .isEqualTo("context_overflow");
    assertThat(code(400, null, "Too many tokens in the request")).isEqualTo("context_overflow");
  }

  @Test
  void contextOverflowWording_isRecognisedInAnExceptionMessageAlone() {
    assertThat(ProviderError.isContextOverflow(null, "HTTP 400 - This model's maximum context length is 8192 tokens"))
        .isTrue();
    assertThat(ProviderError.isContextOverflow(null, "HTTP 400 - temperature must be at most 2")).isFalse();
    assertThat(ProviderError.isContextOverflow(null, null)).isFalse();
  }

  @Test
  void errorsWithoutAnAnswer_areClassifiedByTheException_throughCompletionWrappers() {
    assertThat(ProviderError.of(0, null, "x", false,
        new CompletionException(new IOException("call failed", new SocketTimeoutException("timeout")))).code())
        .isEqualTo("timeout");
    assertThat(ProviderError.of(0, null, "x", false, new InterruptedIOException("timeout")).code()).isEqualTo("timeout");
    assertThat(ProviderError.of(0, null, "x", false, new CancellationException()).code()).isEqualTo("cancelled");
    assertThat(ProviderError.of(0, null, "x", false, new ConnectException("refused")).code()).isEqualTo("network");
    assertThat(ProviderError.of(0, null, "x", true, new IllegalStateException()).code()).isEqualTo("malformed_output");
    assertThat(ProviderError.of(0, null, "x", false, new IllegalStateException()).code()).isEqualTo("internal");
  }
}
