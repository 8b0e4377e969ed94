package dev.sextant.sdk;

import java.util.Map;

/** The step of a disabled SDK: records nothing, costs nothing. */
final class NoopStep implements Step {

  static final NoopStep INSTANCE = new NoopStep();

  private NoopStep() {}

  @Override
  public String id() {
    return null;
  }

  @Override
  public Step metadata(String key, String value) {
    return this;
  }

  @Override
  public Step metadata(String key, long value) {
    return this;
  }

  @Override
  public Step metadata(String key, double value) {
    return this;
  }

  @Override
  public Step metadata(String key, boolean value) {
    return this;
  }

  @Override
  public Step input(Object input) {
    return this;
  }

  @Override
  public Step output(Object output) {
    return this;
  }

  @Override
  public Step model(String model) {
    return this;
  }

  @Override
  public Step provider(String provider) {
    return this;
  }

  @Override
  public Step inputTokens(long tokens) {
    return this;
  }

  @Override
  public Step outputTokens(long tokens) {
    return this;
  }

  @Override
  public Step tokens(long inputTokens, long outputTokens) {
    return this;
  }

  @Override
  public Step cacheReadTokens(long tokens) {
    return this;
  }

  @Override
  public Step reasoningTokens(long tokens) {
    return this;
  }

  @Override
  public Step detach() {
    return this;
  }

  @Override
  public Step costUsd(double cost) {
    return this;
  }

  @Override
  public Step firstToken() {
    return this;
  }

  @Override
  public Step timeToFirstTokenMs(double millis) {
    return this;
  }

  @Override
  public Step emit(String name) {
    return this;
  }

  @Override
  public Step emit(String name, Map<String, ?> attributes) {
    return this;
  }

  @Override
  public Step child(String type, String name) {
    return this;
  }

  @Override
  public Step parent(Step parent) {
    return this;
  }

  @Override
  public Step retryOf(Step previous) {
    return this;
  }

  @Override
  public Step error(String type, String code, String message) {
    return this;
  }

  @Override
  public Step fail(Throwable error) {
    return this;
  }

  @Override
  public Step status(StepStatus status) {
    return this;
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "Step{disabled}";
  }
}
