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

  /** A run with every field but its id unsaid. */
  public static Builder builder(String runId) {
    return new Builder(runId);
  }

  /** A builder holding every field of this run, to build a copy that differs in some. */
  public Builder toBuilder() {
    Builder b = new Builder(runId);
    b.agentId = agentId;
    b.agentVersion = agentVersion;
    b.environment = environment;
    b.name = name;
    b.sessionId = sessionId;
    b.labels = labels;
    b.startNanos = startNanos;
    b.endNanos = endNanos;
    b.status = status;
    b.failure = failure;
    b.metadata = metadata;
    b.input = input;
    b.output = output;
    return b;
  }

  /** Builds a {@link RunRecord} field by field; a field not set stays null. */
  public static final class Builder {
    private final String runId;
    private String agentId;
    private String agentVersion;
    private String environment;
    private String name;
    private String sessionId;
    private Map<String, String> labels;
    private Long startNanos;
    private Long endNanos;
    private RunStatus status;
    private Failure failure;
    private ObjectNode metadata;
    private JsonNode input;
    private JsonNode output;

    private Builder(String runId) {
      this.runId = runId;
    }

    public Builder agentId(String agentId) {
      this.agentId = agentId;
      return this;
    }

    public Builder agentVersion(String agentVersion) {
      this.agentVersion = agentVersion;
      return this;
    }

    public Builder environment(String environment) {
      this.environment = environment;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder sessionId(String sessionId) {
      this.sessionId = sessionId;
      return this;
    }

    public Builder labels(Map<String, String> labels) {
      this.labels = labels;
      return this;
    }

    public Builder startNanos(Long startNanos) {
      this.startNanos = startNanos;
      return this;
    }

    public Builder endNanos(Long endNanos) {
      this.endNanos = endNanos;
      return this;
    }

    public Builder status(RunStatus status) {
      this.status = status;
      return this;
    }

    public Builder failure(Failure failure) {
      this.failure = failure;
      return this;
    }

    public Builder metadata(ObjectNode metadata) {
      this.metadata = metadata;
      return this;
    }

    public Builder input(JsonNode input) {
      this.input = input;
      return this;
    }

    public Builder output(JsonNode output) {
      this.output = output;
      return this;
    }

    public RunRecord build() {
      return new RunRecord(runId, agentId, agentVersion, environment, name, sessionId, labels, startNanos, endNanos,
          status, failure, metadata, input, output);
    }
  }
}
