package dev.sextant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Json;
import dev.sextant.model.Times;
import dev.sextant.protocol.LenientTimes;
import dev.sextant.store.Score;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * LangSmith feedback as a Sextant {@link Score} and back. The feedback's {@code key} is the score's
 * name, {@code score} its value, a string {@code value} its category, {@code feedback_source.type}
 * its source; {@code correction} and any other {@code value} go to its metadata. Feedback on a
 * child run that names its {@code trace_id} is a score of that step of the trace.
 */
final class LangSmithFeedback {
  private LangSmithFeedback() {}

  /** @throws IllegalArgumentException saying what is wrong */
  static Score parse(JsonNode f, Instant now) {
    if (!f.isObject()) throw new IllegalArgumentException("feedback must be a JSON object");
    String runId = text(f, "run_id");
    if (runId == null) {
      throw new IllegalArgumentException(text(f, "session_id") != null
          ? "feedback on a whole project is not stored; give run_id" : "run_id is required");
    }
    String key = text(f, "key");
    if (key == null) throw new IllegalArgumentException("key is required");
    if (key.length() > ScoreService.MAX_NAME) {
      throw new IllegalArgumentException("key is at most " + ScoreService.MAX_NAME + " characters");
    }
    String traceId = text(f, "trace_id");
    ObjectNode metadata = Json.object();
    metadata.put("protocol", "langsmith");
    Double value = null;
    JsonNode score = f.path("score");
    if (score.isNumber()) value = score.doubleValue();
    else if (score.isBoolean()) value = score.booleanValue() ? 1.0 : 0.0;
    else if (!score.isMissingNode() && !score.isNull()) throw new IllegalArgumentException("score must be a number or a boolean");
    if (value != null && (value.isNaN() || value.isInfinite())) throw new IllegalArgumentException("score must be finite");
    String category = null;
    JsonNode v = f.path("value");
    if (v.isTextual()) category = v.textValue();
    else if (v.isNumber() && value == null) value = v.doubleValue();
    else if (!v.isMissingNode() && !v.isNull()) metadata.set("value", v);
    if (category != null && category.length() > ScoreService.MAX_CATEGORY) {
      throw new IllegalArgumentException("a string value is at most " + ScoreService.MAX_CATEGORY + " characters");
    }
    JsonNode correction = f.get("correction");
    if (correction != null && !correction.isNull()) metadata.set("correction", correction);
    JsonNode source = f.path("feedback_source");
    String sourceType = source.path("type").isTextual() ? source.path("type").textValue() : "api";
    if (source.path("metadata").isObject() && !source.path("metadata").isEmpty()) {
      metadata.set("source_metadata", source.path("metadata"));
    }
    String comment = text(f, "comment");
    if (comment != null && comment.length() > ScoreService.MAX_COMMENT) {
      throw new IllegalArgumentException("comment is at most " + ScoreService.MAX_COMMENT + " characters");
    }
    Instant at = now;
    for (String field : List.of("created_at", "start_time")) {
      Long t = LenientTimes.read(f, field);
      if (t != null) {
        at = Times.toInstant(t);
        break;
      }
    }
    String id = text(f, "id");
    boolean onStep = traceId != null && !traceId.equals(runId);
    return new Score(id == null ? UUID.randomUUID().toString() : id, onStep ? traceId : runId,
        onStep ? runId : null, key, value, category, comment, sourceType, metadata, at);
  }

  /** A score in LangSmith's feedback shape. */
  static ObjectNode toJson(Score s) {
    ObjectNode o = Json.object();
    o.put("id", s.scoreId());
    o.put("run_id", s.stepId() != null ? s.stepId() : s.runId());
    o.put("trace_id", s.runId());
    o.put("key", s.name());
    if (s.value() == null) o.putNull("score");
    else o.put("score", s.value());
    JsonNode metadata = s.metadata() == null ? Json.object() : s.metadata();
    if (s.stringValue() != null) o.put("value", s.stringValue());
    else o.set("value", metadata.has("value") ? metadata.get("value") : null);
    o.put("comment", s.comment());
    o.set("correction", metadata.has("correction") ? metadata.get("correction") : null);
    ObjectNode source = o.putObject("feedback_source");
    source.put("type", s.source());
    source.set("metadata", metadata.has("source_metadata") ? metadata.get("source_metadata") : Json.object());
    String time = Times.format(Times.toNanos(s.createdAt()));
    o.put("created_at", time);
    o.put("modified_at", time);
    o.putNull("session_id");
    return o;
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new IllegalArgumentException(field + " must be a string");
    return v.textValue().isEmpty() ? null : v.textValue();
  }
}
