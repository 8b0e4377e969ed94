package dev.sextant.protocol.sextant;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.model.Times;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes runs and steps as JSON Lines in the {@code POST /v1/ingest} format: every line is a whole
 * ingest body holding one run ({@code {"runs":[…]}}) or one step ({@code {"steps":[…]}}), so any
 * line, or any group of lines merged, can be sent back as it is. Fields without a value are left
 * out, which the decoder reads as "not said".
 */
public final class NativeEncoder implements AutoCloseable {
  private final JsonGenerator g;

  public NativeEncoder(OutputStream out) {
    try {
      this.g = Json.MAPPER.getFactory().createGenerator(out);
      g.setRootValueSeparator(null);
      // the caller owns the stream (it may be standard output)
      g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void run(RunRecord r) {
    try {
      g.writeStartObject();
      g.writeArrayFieldStart("runs");
      g.writeStartObject();
      text("run_id", r.runId());
      text("agent_id", r.agentId());
      text("agent_version", r.agentVersion());
      text("environment", r.environment());
      text("name", r.name());
      text("session_id", r.sessionId());
      map("labels", r.labels());
      time("start_time", r.startNanos());
      time("end_time", r.endNanos());
      text("status", r.status() == null ? null : r.status().wire());
      if (r.failure() != null) {
        g.writeObjectFieldStart("failure");
        text("type", r.failure().type());
        text("code", r.failure().code());
        text("message", r.failure().message());
        text("step_id", r.failure().stepId());
        g.writeEndObject();
      }
      node("metadata", r.metadata());
      node("input", r.input());
      node("output", r.output());
      endLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void step(StepRecord s) {
    try {
      g.writeStartObject();
      g.writeArrayFieldStart("steps");
      g.writeStartObject();
      text("run_id", s.runId());
      text("step_id", s.stepId());
      text("parent_step_id", s.parentStepId());
      number("seq", s.seq());
      text("type", s.type());
      text("name", s.name());
      time("start_time", s.startNanos());
      time("end_time", s.endNanos());
      text("status", s.status() == null ? null : s.status().wire());
      number("attempt", s.attempt());
      text("retry_of", s.retryOf());
      text("model", s.model());
      text("provider", s.provider());
      number("input_tokens", s.inputTokens());
      number("output_tokens", s.outputTokens());
      number("cache_read_tokens", s.cacheReadTokens());
      number("reasoning_tokens", s.reasoningTokens());
      number("cost_usd", s.costUsd());
      number("time_to_first_token_ms", s.timeToFirstTokenMs());
      if (s.error() != null) {
        g.writeObjectFieldStart("error");
        text("type", s.error().type());
        text("code", s.error().code());
        text("message", s.error().message());
        g.writeEndObject();
      }
      node("metadata", s.metadata());
      node("input", s.input());
      node("output", s.output());
      if (s.events() != null && !s.events().isEmpty()) {
        g.writeArrayFieldStart("events");
        for (StepEvent e : s.events()) {
          g.writeStartObject();
          text("name", e.name());
          time("time", e.timeNanos());
          node("attributes", e.attributes());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      map("normalization", s.normalization());
      endLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes what is buffered to the stream. */
  public void flush() {
    try {
      g.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      g.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void endLine() throws IOException {
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.writeRaw('\n');
  }

  private void text(String field, String v) throws IOException {
    if (v != null) g.writeStringField(field, v);
  }

  private void number(String field, Number v) throws IOException {
    if (v == null) return;
    g.writeFieldName(field);
    if (v instanceof Double d) g.writeNumber(d);
    else g.writeNumber(v.longValue());
  }

  private void time(String field, Long nanos) throws IOException {
    if (nanos != null) g.writeStringField(field, Times.format(nanos));
  }

  private void node(String field, JsonNode v) throws IOException {
    if (v == null || v.isNull()) return;
    g.writeFieldName(field);
    Json.MAPPER.writeTree(g, v);
  }

  private void map(String field, Map<String, String> v) throws IOException {
    if (v == null) return;
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> e : v.entrySet()) g.writeStringField(e.getKey(), e.getValue());
    g.writeEndObject();
  }
}
