package dev.sextant.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorClassifierTest {
  @Test
  void codeFromTheExceptionName_neverTheMessage() {
    assertThat(ErrorClassifier.code("Error: boom")).isEqualTo("error");
    assertThat(ErrorClassifier.code("TypeError: x is undefined")).isEqualTo("type_error");
    assertThat(ErrorClassifier.code("ValueError('bad value')")).isEqualTo("value_error");
    assertThat(ErrorClassifier.code("Traceback (most recent call last):\n  File \"a.py\"\nKeyError: 'k'"))
        .isEqualTo("key_error");
    assertThat(ErrorClassifier.code("openai.RateLimitError: 429")).isEqualTo("rate_limited");
    assertThat(ErrorClassifier.code("TimeoutError: upstream")).isEqualTo("timeout");
    assertThat(ErrorClassifier.code("AuthenticationError: bad key")).isEqualTo("auth_failed");
    assertThat(ErrorClassifier.code("asyncio.CancelledError")).isEqualTo("cancelled");
    assertThat(ErrorClassifier.code("GraphRecursionError: Recursion limit of 25 reached")).isEqualTo(
        "graph_recursion_error");
    assertThat(ErrorClassifier.code("something went wrong")).isEqualTo("error");
    assertThat(ErrorClassifier.code("Boom")).isEqualTo("error");
    assertThat(ErrorClassifier.code(null)).isEqualTo("error");
  }
}
