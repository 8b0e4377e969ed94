package dev.sextant.store;

import java.time.Instant;
import java.util.Map;

/** One row of the runs list. */
public record RunSummary(
    String runId,
    String agentId,
    String agentVersion,
    String environment,
    String name,
    String sessionId,
    Map<String, String> labels,
    String status,
    Instant startTime,
    Instant endTime,
    Double durationMs,
    int stepCount,
    int errorCount,
    int retryCount,
    Long inputTokens,
    Long outputTokens,
    Double costUsd,
    FailureRef failure) {

  /** The failure as the list shows it: no message. */
  public record FailureRef(String type, String code, String stepId) {}
}
