package dev.sextant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.model.Json;
import dev.sextant.model.Times;
import dev.sextant.store.Project;
import dev.sextant.store.Score;
import dev.sextant.store.ScoreQuery;
import dev.sextant.store.ScoreStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** {@code POST /v1/scores} and {@code GET /v1/scores}: scores of runs and steps, in Sextant's own shape. */
final class ScoreService {
  static final int MAX_PER_REQUEST = 1000;
  static final int MAX_NAME = 200;
  static final int MAX_CATEGORY = 1000;
  static final int MAX_COMMENT = 10_000;
  static final int MAX_LIST = 1000;

  private final ScoreStore store;
  private final IngestPipeline pipeline;
  private final Clock clock;

  ScoreService(ScoreStore store, IngestPipeline pipeline, Clock clock) {
    this.store = store;
    this.pipeline = pipeline;
    this.clock = clock;
  }

  /** One score object, or {@code {"scores": [...]}}; all are stored or, if one is invalid, none. */
  HttpResponse create(Call call) {
    JsonNode body = Bodies.jsonObject(call, pipeline.limits().maxBodyBytes());
    List<JsonNode> items = new ArrayList<>();
    if (body.has("scores")) {
      if (!body.get("scores").isArray()) throw invalid("scores must be an array of score objects");
      body.get("scores").forEach(items::add);
    } else {
      items.add(body);
    }
    if (items.isEmpty()) throw invalid("scores is empty; send at least one score");
    if (items.size() > MAX_PER_REQUEST) {
      throw invalid("at most " + MAX_PER_REQUEST + " scores per request, got " + items.size());
    }
    Project project = call.project();
    Instant now = clock.instant();
    List<Score> scores = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      try {
        scores.add(pipeline.scrub(project, parse(items.get(i), now)));
      } catch (IllegalArgumentException e) {
        throw invalid((items.size() > 1 ? "scores[" + i + "]: " : "") + e.getMessage());
      }
    }
    store.putScores(project.projectId(), scores);
    ObjectNode out = Json.object();
    out.put("accepted", scores.size());
    ArrayNode ids = out.putArray("score_ids");
    for (Score s : scores) ids.add(s.scoreId());
    return Responses.ok(out);
  }

  /** {@code GET /v1/scores?run_id=&name=&source=&limit=&offset=}. */
  HttpResponse list(Call call) {
    var params = call.ctx().queryParams();
    int limit = RunQueryParser.intParam(call, "limit", 100, MAX_LIST);
    int offset = offset(call);
    List<Score> scores = store.scores(call.project().projectId(),
        new ScoreQuery(params.getAll("run_id"), params.getAll("name"), params.getAll("source"), limit, offset));
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("scores");
    for (Score s : scores) list.add(toJson(s));
    if (scores.size() == limit) out.put("next_offset", offset + limit);
    else out.putNull("next_offset");
    return Responses.ok(out);
  }

  static HttpFailure invalid(String message) {
    return new HttpFailure(HttpStatus.BAD_REQUEST, "invalid_score", message);
  }

  static ObjectNode toJson(Score s) {
    ObjectNode o = Json.object();
    o.put("score_id", s.scoreId());
    o.put("run_id", s.runId());
    o.put("step_id", s.stepId());
    o.put("name", s.name());
    if (s.value() == null) o.putNull("value");
    else o.put("value", s.value());
    o.put("string_value", s.stringValue());
    o.put("comment", s.comment());
    o.put("source", s.source());
    o.set("metadata", s.metadata() == null ? Json.object() : s.metadata());
    o.put("created_at", Times.format(Times.toNanos(s.createdAt())));
    return o;
  }

  /** A native score object; {@link IllegalArgumentException} says what is wrong with it. */
  static Score parse(JsonNode o, Instant now) {
    if (!o.isObject()) throw new IllegalArgumentException("a score must be a JSON object");
    String runId = text(o, "run_id", 200);
    if (runId == null) throw new IllegalArgumentException("run_id is required");
    String name = text(o, "name", MAX_NAME);
    if (name == null) throw new IllegalArgumentException("name is required");
    JsonNode v = o.path("value");
    Double value = null;
    String category = null;
    if (v.isNumber()) {
      value = v.doubleValue();
      if (value.isNaN() || value.isInfinite()) throw new IllegalArgumentException("value must be a finite number");
    } else if (v.isBoolean()) {
      value = v.booleanValue() ? 1.0 : 0.0;
      category = v.booleanValue() ? "true" : "false";
    } else if (v.isTextual()) {
      category = v.textValue();
      if (category.length() > MAX_CATEGORY) {
        throw new IllegalArgumentException("a string value is at most " + MAX_CATEGORY + " characters");
      }
    } else if (!v.isMissingNode() && !v.isNull()) {
      throw new IllegalArgumentException("value must be a number, a boolean or a string");
    }
    if (value == null && category == null) {
      throw new IllegalArgumentException("value is required (a number, a boolean or a string)");
    }
    JsonNode metadata = o.get("metadata");
    if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
      throw new IllegalArgumentException("metadata must be a JSON object");
    }
    String id = text(o, "score_id", 200);
    Instant at = now;
    String time = text(o, "created_at", 100);
    if (time != null) {
      try {
        at = Times.toInstant(Times.parse(time));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("created_at " + e.getMessage());
      }
    }
    String source = text(o, "source", 64);
    return new Score(id == null ? UUID.randomUUID().toString() : id, runId, text(o, "step_id", 200), name, value,
        category, text(o, "comment", MAX_COMMENT), source == null ? "api" : source,
        metadata == null || metadata.isNull() ? null : metadata, at);
  }

  private static String text(JsonNode o, String field, int max) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new IllegalArgumentException(field + " must be a string");
    String s = v.textValue();
    if (s.isEmpty()) return null;
    if (s.length() > max) throw new IllegalArgumentException(field + " is at most " + max + " characters");
    return s;
  }

  static int offset(Call call) {
    String v = call.param("offset");
    if (v == null) return 0;
    try {
      int n = Integer.parseInt(v);
      if (n >= 0 && n <= 1_000_000) return n;
    } catch (NumberFormatException e) {
      // below
    }
    throw HttpFailure.badRequest("offset must be an integer from 0 to 1000000, got \"" + v + "\"");
  }
}
