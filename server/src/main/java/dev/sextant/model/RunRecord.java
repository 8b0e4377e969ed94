package dev.sextant.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A run as one ingest message describes it. Every field but the id may be null: a record fills in
 * what it knows, and the store merges records of the same run in any order.
 */
public record RunRecord(
    String runId,
    String agentId,
    String agentVersion,
    String environment,
    String name,
    String sessionId,
    Map<String, String> labels,
    Long startNanos,
    Long endNanos,
    RunStatus status,
    Failure failure,
    ObjectNode metadata,
    JsonNode input,
    JsonNode output) {

  public static RunRecord of(String runId) {
    return new RunRecord(runId, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  public RunRecord withContent(Failure failure, ObjectNode metadata, JsonNode input, JsonNode output) {
    return new RunRecord(runId, agentId, agentVersion, environment, name, sessionId, labels,
        startNanos, endNanos, status, failure, metadata, input, output);
  }
}
