package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void typeForStep_mapsStepTypesToFailureTypes() {
    assertThat(Failures.typeForStep("llm")).isEqualTo("model");
    assertThat(Failures.typeForStep("embedding")).isEqualTo("model");
    assertThat(Failures.typeForStep("stream")).isEqualTo("model");
    assertThat(Failures.typeForStep("tool")).isEqualTo("tool");
    assertThat(Failures.typeForStep("retrieval")).isEqualTo("retrieval");
    assertThat(Failures.typeForStep("rerank")).isEqualTo("retrieval");
    assertThat(Failures.typeForStep("guardrail")).isEqualTo("guardrail");
    assertThat(Failures.typeForStep("plan")).isEqualTo("orchestration");
    assertThat(Failures.typeForStep("agent")).isEqualTo("orchestration");
    assertThat(Failures.typeForStep("custom")).isEqualTo("unknown");
  }

  @Test
  void timeouts_areFoundInTheCauseChain() {
    Exception wrapped = new RuntimeException(new IOException(new SocketTimeoutException("read")));
    assertThat(Failures.status(wrapped)).isEqualTo(StepStatus.TIMEOUT);
    assertThat(Failures.code(wrapped, "tool")).isEqualTo("timeout");
    assertThat(Failures.status(new TimeoutException())).isEqualTo(StepStatus.TIMEOUT);
    assertThat(Failures.status(new ProviderTimeoutException())).isEqualTo(StepStatus.TIMEOUT);
  }

  @Test
  void cancellation_andInterruption_areCancelled() {
    assertThat(Failures.status(new CancellationException())).isEqualTo(StepStatus.CANCELLED);
    assertThat(Failures.status(new InterruptedException())).isEqualTo(StepStatus.CANCELLED);
    assertThat(Failures.code(new InterruptedException(), "tool")).isEqualTo("cancelled");
  }

  @Test
  void providerExceptionNames_giveCodes() {
    assertThat(Failures.code(new RateLimitError(), "llm")).isEqualTo("rate_limited");
    assertThat(Failures.code(new UnauthorizedException(), "llm")).isEqualTo("auth_failed");
    assertThat(Failures.code(new ContextLengthExceededException(), "llm")).isEqualTo("context_overflow");
    assertThat(Failures.code(new MalformedJsonException(), "llm")).isEqualTo("malformed_output");
    assertThat(Failures.code(new ToolNotFoundException(), "tool")).isEqualTo("tool_not_found");
    assertThat(Failures.code(new IllegalStateException(), "tool")).isEqualTo("internal");
  }

  @Test
  void message_isClassNameAndMessage_cutAt1024() {
    assertThat(Failures.message(new IllegalStateException("x"))).isEqualTo("java.lang.IllegalStateException: x");
    assertThat(Failures.message(new IllegalStateException())).isEqualTo("java.lang.IllegalStateException");
    assertThat(Failures.message(new IllegalStateException("y".repeat(5000)))).hasSize(1024);
  }

  static final class ProviderTimeoutException extends RuntimeException {}

  static final class RateLimitError extends RuntimeException {}

  static final class UnauthorizedException extends RuntimeException {}

  static final class ContextLengthExceededException extends RuntimeException {}

  static final class MalformedJsonException extends RuntimeException {}

  static final class ToolNotFoundException extends RuntimeException {}
}
