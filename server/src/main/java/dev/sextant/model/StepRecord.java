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

  /** A step of run {@code runId} with every other field unsaid. */
  public static Builder builder(String runId, String stepId) {
    return new Builder(runId, stepId);
  }

  /** A builder holding every field of this step, to build a copy that differs in some. */
  public Builder toBuilder() {
    Builder b = new Builder(runId, stepId);
    b.parentStepId = parentStepId;
    b.seq = seq;
    b.type = type;
    b.name = name;
    b.startNanos = startNanos;
    b.endNanos = endNanos;
    b.status = status;
    b.attempt = attempt;
    b.retryOf = retryOf;
    b.model = model;
    b.provider = provider;
    b.inputTokens = inputTokens;
    b.outputTokens = outputTokens;
    b.cacheReadTokens = cacheReadTokens;
    b.reasoningTokens = reasoningTokens;
    b.costUsd = costUsd;
    b.timeToFirstTokenMs = timeToFirstTokenMs;
    b.error = error;
    b.metadata = metadata;
    b.input = input;
    b.output = output;
    b.events = events;
    b.normalization = normalization;
    return b;
  }

  /** Builds a {@link StepRecord} field by field; a field not set stays null. */
  public static final class Builder {
    private final String runId;
    private final String stepId;
    private String parentStepId;
    private Integer seq;
    private String type;
    private String name;
    private Long startNanos;
    private Long endNanos;
    private StepStatus status;
    private Integer attempt;
    private String retryOf;
    private String model;
    private String provider;
    private Long inputTokens;
    private Long outputTokens;
    private Long cacheReadTokens;
    private Long reasoningTokens;
    private Double costUsd;
    private Double timeToFirstTokenMs;
    private StepError error;
    private ObjectNode metadata;
    private JsonNode input;
    private JsonNode output;
    private List<StepEvent> events;
    private Map<String, String> normalization;

    private Builder(String runId, String stepId) {
      this.runId = runId;
      this.stepId = stepId;
    }

    public Builder parentStepId(String parentStepId) {
      this.parentStepId = parentStepId;
      return this;
    }

    public Builder seq(Integer seq) {
      this.seq = seq;
      return this;
    }

    public Builder type(String type) {
      this.type = type;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
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

    public Builder status(StepStatus status) {
      this.status = status;
      return this;
    }

    public Builder attempt(Integer attempt) {
      this.attempt = attempt;
      return this;
    }

    public Builder retryOf(String retryOf) {
      this.retryOf = retryOf;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder provider(String provider) {
      this.provider = provider;
      return this;
    }

    public Builder inputTokens(Long inputTokens) {
      this.inputTokens = inputTokens;
      return this;
    }

    public Builder outputTokens(Long outputTokens) {
      this.outputTokens = outputTokens;
      return this;
    }

    public Builder cacheReadTokens(Long cacheReadTokens) {
      this.cacheReadTokens = cacheReadTokens;
      return this;
    }

    public Builder reasoningTokens(Long reasoningTokens) {
      this.reasoningTokens = reasoningTokens;
      return this;
    }

    public Builder costUsd(Double costUsd) {
      this.costUsd = costUsd;
      return this;
    }

    public Builder timeToFirstTokenMs(Double timeToFirstTokenMs) {
      this.timeToFirstTokenMs = timeToFirstTokenMs;
      return this;
    }

    public Builder error(StepError error) {
      this.error = error;
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

    public Builder events(List<StepEvent> events) {
      this.events = events;
      return this;
    }

    public Builder normalization(Map<String, String> normalization) {
      this.normalization = normalization;
      return this;
    }

    public StepRecord build() {
      return new StepRecord(runId, stepId, parentStepId, seq, type, name, startNanos, endNanos, status, attempt,
          retryOf, model, provider, inputTokens, outputTokens, cacheReadTokens, reasoningTokens, costUsd,
          timeToFirstTokenMs, error, metadata, input, output, events, normalization);
    }
  }
}
