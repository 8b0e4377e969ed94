package dev.sextant.sdk;

import java.time.Duration;

/**
 * The run of a disabled SDK. It records nothing, but runs every body it is given exactly as the real
 * run would, retries included, so disabling the SDK never changes what the application does.
 */
final class NoopRun implements Run {

  static final NoopRun INSTANCE = new NoopRun();

  private NoopRun() {}

  @Override
  public String id() {
    return null;
  }

  @Override
  public Run sessionId(String sessionId) {
    return this;
  }

  @Override
  public Run label(String key, String value) {
    return this;
  }

  @Override
  public Run metadata(String key, String value) {
    return this;
  }

  @Override
  public Run metadata(String key, long value) {
    return this;
  }

  @Override
  public Run metadata(String key, double value) {
    return this;
  }

  @Override
  public Run metadata(String key, boolean value) {
    return this;
  }

  @Override
  public Run input(Object input) {
    return this;
  }

  @Override
  public Run output(Object output) {
    return this;
  }

  @Override
  public Run status(RunStatus status) {
    return this;
  }

  @Override
  public Step step(String type, String name) {
    return NoopStep.INSTANCE;
  }

  @Override
  public <T, E extends Throwable> T step(String type, String name, StepBody<T, E> body) throws E {
    return body.apply(NoopStep.INSTANCE);
  }

  @Override
  public Step stream(String name) {
    return NoopStep.INSTANCE;
  }

  @Override
  public <T, E extends Throwable> T retry(String type, String name, int maxAttempts, StepBody<T, E> body)
      throws E {
    return Bodies.retry(this, type, name, maxAttempts, 0, Sleeper.SYSTEM, body);
  }

  @Override
  public <T, E extends Throwable> T retry(
      String type, String name, int maxAttempts, Duration backoff, StepBody<T, E> body) throws E {
    long nanos = backoff == null || backoff.isNegative() ? 0 : SpanRun.saturatedNanos(backoff);
    return Bodies.retry(this, type, name, maxAttempts, nanos, Sleeper.SYSTEM, body);
  }

  @Override
  public Run recordFailure(String type, String code, String message) {
    return this;
  }

  @Override
  public Run recordFailure(String type, String code, String message, Step step) {
    return this;
  }

  @Override
  public Run fail(Throwable error) {
    return this;
  }

  @Override
  public void close() {}

  @Override
  public String labelValue(String key) {
    return null;
  }

  @Override
  public java.util.Map<String, String> labels() {
    return java.util.Map.of();
  }

  @Override
  public Run removeLabel(String key) {
    return this;
  }

  @Override
  public Run replaceLabels(java.util.Map<String, String> labels) {
    return this;
  }

  @Override
  public Run detach() {
    return this;
  }

  @Override
  public String toString() {
    return "Run{disabled}";
  }
}
