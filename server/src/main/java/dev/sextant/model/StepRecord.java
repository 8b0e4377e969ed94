package dev.sextant.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A step as one ingest message describes it. As with {@link RunRecord}, null means "not said
 * here"; the store fills and replaces field by field.
 *
 * @param normalization how derived fields were obtained, e.g. {@code type -> "gen_ai.operation.name=chat"}
 */
public record StepRecord(
    String runId,
    String stepId,
    String parentStepId,
    Integer seq,
    String type,
    String name,
    Long startNanos,
    Long endNanos,
    StepStatus status,
    Integer attempt,
    String retryOf,
    String model,
    String provider,
    Long inputTokens,
    Long outputTokens,
    Long cacheReadTokens,
    Long reasoningTokens,
    Double costUsd,
    Double timeToFirstTokenMs,
    StepError error,
    ObjectNode metadata,
    JsonNode input,
    JsonNode output,
    List<StepEvent> events,
    Map<String, String> normalization) {

  public StepRecord withContent(
      StepError error, ObjectNode metadata, JsonNode input, JsonNode output, List<StepEvent> events,
      Map<String, String> normalization) {
    return new StepRecord(runId, stepId, parentStepId, seq, type, name, startNanos, endNanos, status,
        attempt, retryOf, model, provider, inputTokens, outputTokens, cacheReadTokens, reasoningTokens,
        costUsd, timeToFirstTokenMs, error, metadata, input, output, events, normalization);
  }

  public StepRecord withType(String type) {
    return new StepRecord(runId, stepId, parentStepId, seq, type, name, startNanos, endNanos, status,
        attempt, retryOf, model, provider, inputTokens, outputTokens, cacheReadTokens, reasoningTokens,
        costUsd, timeToFirstTokenMs, error, metadata, input, output, events, normalization);
  }
}
