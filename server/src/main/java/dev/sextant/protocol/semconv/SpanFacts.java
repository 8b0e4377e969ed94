package dev.sextant.protocol.semconv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.StepError;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepStatus;
import java.util.List;
import java.util.Map;

/**
 * What the attributes of one span say, in Sextant's terms, whatever dialect they came in. Null
 * means the span did not say. The step fields come first, then what the span says about its run.
 *
 * @param metadata the attributes no field consumed and that are not content
 * @param normalization field name to the attribute (and value) it was derived from
 * @param asRoot the span declares itself the root of its run even though it has a parent
 */
public record SpanFacts(
    String type,
    StepStatus status,
    StepError error,
    String model,
    String provider,
    Long inputTokens,
    Long outputTokens,
    Long cacheReadTokens,
    Long reasoningTokens,
    Double costUsd,
    Double timeToFirstTokenMs,
    Integer seq,
    Integer attempt,
    String retryOf,
    ObjectNode metadata,
    JsonNode input,
    JsonNode output,
    List<StepEvent> events,
    Map<String, String> normalization,
    String runId,
    String agentId,
    String agentVersion,
    String environment,
    String sessionId,
    String userId,
    String runName,
    JsonNode runInput,
    JsonNode runOutput,
    String failureType,
    String failureCode,
    boolean asRoot) {}
