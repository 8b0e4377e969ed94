package dev.sextant.sdk;

import java.util.List;
import java.util.Map;

/**
 * A finished step as handed to an {@link Exporter}. The SDK hands a step over only after it ended, and
 * ignores changes to a step after its end, so these values no longer change.
 */
public interface StepData {

  String runId();

  String stepId();

  /** The parent step's id, or {@code null} for a step directly under the run. */
  String parentStepId();

  /** Order of the step's start within its run, from 1. */
  int seq();

  /** Lower-case step type, such as {@code llm} or {@code tool}. */
  String type();

  String name();

  long startEpochNanos();

  long endEpochNanos();

  StepStatus status();

  /** 1 for a first attempt, 2 for its first retry, and so on. */
  int attempt();

  /** The step id of attempt 1 when this step is a retry, else {@code null}. */
  String retryOf();

  String model();

  String provider();

  Long inputTokens();

  Long outputTokens();

  /** Input tokens read from the provider's prompt cache, or {@code null}. */
  default Long cacheReadTokens() {
    return null;
  }

  /** Output tokens spent on reasoning, or {@code null}. */
  default Long reasoningTokens() {
    return null;
  }

  Double costUsd();

  Double timeToFirstTokenMs();

  /** {@code null} unless the step failed. */
  StepError error();

  /** Safe metadata values: numbers, booleans and short identifier-like strings. */
  Map<String, Object> metadata();

  /** {@code null} unless content capture is enabled. */
  Object input();

  /** {@code null} unless content capture is enabled. */
  Object output();

  /** Events in the order they were emitted; at most the configured number per step. */
  List<Event> events();

  /** How many events were emitted beyond the per-step limit and not kept. */
  int eventsDropped();
}
