package dev.sextant.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One step in full. */
public record StepDetail(
    StepSummary step,
    String provider,
    Long cacheReadTokens,
    Long reasoningTokens,
    Double timeToFirstTokenMs,
    JsonNode metadata,
    JsonNode input,
    JsonNode output,
    List<Event> events,
    Map<String, String> normalization) {

  public record Event(String name, Instant time, JsonNode attributes) {}
}
