package dev.sextant.store;

import dev.sextant.model.StepError;
import java.time.Instant;

/** A step as the run skeleton shows it. */
public record StepSummary(
    String stepId,
    String parentStepId,
    int seq,
    String type,
    String name,
    Instant startTime,
    Instant endTime,
    Double durationMs,
    String status,
    int attempt,
    String retryOf,
    String model,
    Long inputTokens,
    Long outputTokens,
    Double costUsd,
    StepError error,
    String costSource) {

  /** {@code sent} (by the client), {@code computed} (from the price table) or null without a cost. */
  public static String costSource(Double costUsd, boolean computed) {
    return costUsd == null ? null : computed ? "computed" : "sent";
  }
}
