package dev.sextant.sdk;

import dev.sextant.sdk.internal.Detectors;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Batch} as the body of {@code POST /v1/ingest}: {@code {"runs":[…],"steps":[…]}} with
 * snake_case fields. Fields without a value are left out, so a later record never blanks out what an
 * earlier one set (the server upserts).
 *
 * <p>Every string but captured content ({@code input}, {@code output}) passes the detectors shared
 * with the server ({@link Detectors}) on its way out: personal data and secrets in names, ids,
 * labels, codes, messages, metadata and event attributes leave the process as markers such as
 * {@code [phone]}. Content is only present when the application enabled content capture; the
 * project's policy on the server governs it.
 */
final class BatchEncoder {

  private BatchEncoder() {}

  static byte[] encode(Batch batch) {
    JsonWriter w = new JsonWriter(256 + batch.size() * 256);
    write(w, batch);
    return w.toByteArray();
  }

  static void write(JsonWriter w, Batch batch) {
    w.scrub(true);
    w.beginObject();
    w.name("runs").beginArray();
    for (RunData run : batch.runs()) {
      writeRun(w, run);
    }
    w.endArray();
    w.name("steps").beginArray();
    for (StepData step : batch.steps()) {
      writeStep(w, step);
    }
    w.endArray();
    w.endObject();
  }

  static void writeRun(JsonWriter w, RunData run) {
    w.beginObject();
    w.name("run_id").value(run.runId());
    optional(w, "agent_id", run.agentId());
    optional(w, "agent_version", run.agentVersion());
    optional(w, "environment", run.environment());
    optional(w, "name", run.name());
    optional(w, "session_id", run.sessionId());
    if (!run.labels().isEmpty()) {
      w.name("labels").beginObject();
      for (Map.Entry<String, String> label : run.labels().entrySet()) {
        w.name(label.getKey()).value(label.getValue());
      }
      w.endObject();
    }
    w.name("start_time").time(run.startEpochNanos());
    if (run.endEpochNanos() != 0) {
      w.name("end_time").time(run.endEpochNanos());
    }
    w.name("status").value(run.status().wireName());
    Failure failure = run.failure();
    if (failure != null) {
      w.name("failure").beginObject();
      w.name("type").value(failure.type());
      w.name("code").value(failure.code());
      optional(w, "message", failure.message());
      optional(w, "step_id", failure.stepId());
      w.endObject();
    }
    metadata(w, run.metadata());
    if (run.input() != null) {
      w.name("input").scrub(false).any(run.input()).scrub(true);
    }
    if (run.output() != null) {
      w.name("output").scrub(false).any(run.output()).scrub(true);
    }
    w.endObject();
  }

  static void writeStep(JsonWriter w, StepData step) {
    w.beginObject();
    writeStepFields(w, step);
    w.endObject();
  }

  /** A step's fields, without the enclosing braces, so a caller can add its own (a run file's children). */
  static void writeStepFields(JsonWriter w, StepData step) {
    w.name("run_id").value(step.runId());
    if (step instanceof SpanStep span) {
      w.name("step_id").hexId(span.id);
      SpanStep parent = span.parentStep();
      if (parent != null) {
        w.name("parent_step_id").hexId(parent.id);
      }
    } else {
      w.name("step_id").value(step.stepId());
      optional(w, "parent_step_id", step.parentStepId());
    }
    w.name("seq").value(step.seq());
    w.name("type").value(step.type());
    w.name("name").value(step.name());
    w.name("start_time").time(step.startEpochNanos());
    w.name("end_time").time(step.endEpochNanos());
    w.name("status").value(step.status().wireName());
    w.name("attempt").value(step.attempt());
    optional(w, "retry_of", step.retryOf());
    optional(w, "model", step.model());
    optional(w, "provider", step.provider());
    if (step.inputTokens() != null) {
      w.name("input_tokens").value(step.inputTokens());
    }
    if (step.outputTokens() != null) {
      w.name("output_tokens").value(step.outputTokens());
    }
    if (step.cacheReadTokens() != null) {
      w.name("cache_read_tokens").value(step.cacheReadTokens());
    }
    if (step.reasoningTokens() != null) {
      w.name("reasoning_tokens").value(step.reasoningTokens());
    }
    if (step.costUsd() != null) {
      w.name("cost_usd").value(step.costUsd());
    }
    if (step.timeToFirstTokenMs() != null) {
      w.name("time_to_first_token_ms").value(step.timeToFirstTokenMs());
    }
    StepError error = step.error();
    if (error != null) {
      w.name("error").beginObject();
      w.name("type").value(error.type());
      w.name("code").value(error.code());
      optional(w, "message", error.message());
      w.endObject();
    }
    Map<String, Object> metadata = step.metadata();
    if (step.eventsDropped() > 0) {
      metadata = new java.util.LinkedHashMap<>(metadata);
      metadata.put("events_dropped", (long) step.eventsDropped());
    }
    metadata(w, metadata);
    if (step.input() != null) {
      w.name("input").scrub(false).any(step.input()).scrub(true);
    }
    if (step.output() != null) {
      w.name("output").scrub(false).any(step.output()).scrub(true);
    }
    List<Event> events = step.events();
    if (!events.isEmpty()) {
      w.name("events").beginArray();
      for (Event event : events) {
        w.beginObject();
        w.name("name").value(event.name());
        w.name("time").time(event.epochNanos());
        if (!event.attributes().isEmpty()) {
          w.name("attributes").any(event.attributes());
        }
        w.endObject();
      }
      w.endArray();
    }
  }

  private static void metadata(JsonWriter w, Map<String, Object> metadata) {
    if (metadata != null && !metadata.isEmpty()) {
      w.name("metadata").any(metadata);
    }
  }

  private static void optional(JsonWriter w, String name, String value) {
    if (value != null) {
      w.name(name).value(value);
    }
  }
}
