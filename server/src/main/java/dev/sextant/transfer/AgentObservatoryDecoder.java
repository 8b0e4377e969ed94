package dev.sextant.transfer;

import static dev.sextant.protocol.Lenient.object;
import static dev.sextant.protocol.Lenient.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.StepTypes;
import dev.sextant.model.Batch;
import dev.sextant.model.Failure;
import dev.sextant.model.FailureTaxonomy;
import dev.sextant.model.Item;
import dev.sextant.model.ItemError;
import dev.sextant.model.Json;
import dev.sextant.model.Position;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepError;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.protocol.BadRequest;
import dev.sextant.protocol.ErrorClassifier;
import dev.sextant.protocol.Lenient;
import dev.sextant.protocol.LenientTimes;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent-observatory SDK's session envelope, as its {@code JSONExporter} prints one per session:
 * {@code {"schema_version", "session": {session_id, agent_id, user_id, metadata, trace_id,
 * start_time, end_time}, "events": [{event_id, timestamp, type, trace{trace_id, span_id,
 * parent_span_id}, payload}]}}, where {@code type} is {@code span_start} (payload {@code kind,
 * name, attributes}), {@code span_end} ({@code status, error{type, message, traceback}}) or
 * {@code stream_event} ({@code event, attributes}). A file may hold one envelope, an array, or
 * envelopes one after another. A session becomes a run, a span a step (kinds {@code agent_step},
 * {@code tool_call}, {@code llm_call}, {@code stream}), a stream event an event of its step; when a
 * root span ended in error the run failed, and its cause is the first failed leaf span.
 */
final class AgentObservatoryDecoder implements SeedDecoder {
  private static final Set<String> SESSION_FIELDS = Set.of("session_id", "agent_id", "metadata", "start_time",
      "end_time");
  private static final Set<String> ATTRIBUTE_TOKENS = Set.of("model", "input_tokens", "output_tokens",
      "prompt_tokens", "completion_tokens");

  /** A span as its start, end and events arrive. */
  private static final class Span {
    String parent;
    String kind;
    String name;
    JsonNode attributes;
    Long start;
    Long end;
    String status;
    JsonNode error;
    final List<StepEvent> events = new ArrayList<>();
  }

  @Override
  public Batch<Position> decode(ObjectMapper mapper, InputStream in) {
    List<Item<RunRecord, Position>> runs = new ArrayList<>();
    List<Item<StepRecord, Position>> steps = new ArrayList<>();
    List<ItemError<Position>> errors = new ArrayList<>();
    List<JsonNode> docs = Seeds.documents(mapper, in, "agent-observatory");
    for (int i = 0; i < docs.size(); i++) {
      JsonNode env = docs.get(i);
      if (!env.isObject() || object(env, "session") == null || !env.path("events").isArray()) {
        throw new BadRequest("invalid_body", "an agent-observatory envelope is a JSON object with \"session\" and"
            + " \"events\", as JSONExporter prints one per session; item " + i + " is not");
      }
      Position session = new Position("session", i);
      List<RunRecord> runRecords = new ArrayList<>(1);
      List<StepRecord> stepRecords = new ArrayList<>();
      try {
        envelope(env, runRecords, stepRecords);
      } catch (IllegalArgumentException e) {
        errors.add(new ItemError<>(session, e.getMessage()));
      }
      Seeds.add(runs, runRecords, session);
      Seeds.add(steps, stepRecords, session);
    }
    return new Batch<>(runs, steps, errors);
  }

  private static void envelope(JsonNode env, List<RunRecord> runs, List<StepRecord> steps) {
    JsonNode session = env.get("session");
    String runId = Lenient.firstText(session, "session_id", "trace_id");
    if (runId == null) throw new IllegalArgumentException("session.session_id is required");
    Map<String, Span> spans = new LinkedHashMap<>();
    for (JsonNode e : env.path("events")) {
      String spanId = text(e.path("trace"), "span_id");
      if (spanId == null) continue;
      Span span = spans.computeIfAbsent(spanId, k -> new Span());
      JsonNode payload = e.path("payload");
      Long at = e.hasNonNull("timestamp") ? LenientTimes.read(e, "timestamp") : null;
      switch (String.valueOf(text(e, "type"))) {
        case "span_start":
          span.parent = text(e.path("trace"), "parent_span_id");
          span.kind = text(payload, "kind");
          span.name = text(payload, "name");
          span.attributes = payload.get("attributes");
          span.start = at;
          break;
        case "span_end":
          span.end = at;
          span.status = text(payload, "status");
          span.error = payload.get("error");
          if (span.kind == null) span.kind = text(payload, "kind");
          if (span.name == null) span.name = text(payload, "name");
          break;
        case "stream_event":
          if (at != null && text(payload, "event") != null) {
            JsonNode attrs = payload.get("attributes");
            span.events.add(new StepEvent(text(payload, "event"), at,
                attrs instanceof ObjectNode o ? o : Json.object()));
          }
          break;
        default:
          // a later schema's event type: nothing to map
      }
    }
    Failure failure = null;
    for (Map.Entry<String, Span> e : spans.entrySet()) {
      Span s = e.getValue();
      String type = type(s.kind);
      StepError error = null;
      boolean failed = "error".equals(s.status) || (s.error != null && s.error.isObject());
      if (failed) {
        String exception = text(s.error, "type");
        error = new StepError(FailureTaxonomy.failureType(type), ErrorClassifier.code(exception),
            text(s.error, "message"));
        if (s.parent == null && failure == null) {
          // the root span only says that the session failed: the store names the failed leaf as the cause
          failure = Failure.inferred(error.type(), error.code(), error.message(), e.getKey());
        }
      }
      ObjectNode metadata = Seeds.unknown(s.attributes, ATTRIBUTE_TOKENS);
      if (s.error != null && text(s.error, "traceback") != null) {
        metadata = Seeds.merge(metadata, Json.object().put("error_traceback", text(s.error, "traceback")));
      }
      Long in = Seeds.first(Lenient.count(s.attributes, "input_tokens"), Lenient.count(s.attributes, "prompt_tokens"));
      Long out = Seeds.first(Lenient.count(s.attributes, "output_tokens"), Lenient.count(s.attributes, "completion_tokens"));
      steps.add(Seeds.step(runId, e.getKey(), s.parent, null, type, s.name, s.start, s.end,
          s.status == null ? null : failed ? FailureTaxonomy.stepStatus(error.code()) : StepStatus.OK, text(s.attributes, "model"), null,
          in, out, error, metadata, null, null, s.events.isEmpty() ? null : s.events));
    }
    ObjectNode metadata = Seeds.merge(Seeds.unknown(session, SESSION_FIELDS), session.get("metadata"));
    if (env.hasNonNull("schema_version")) {
      metadata = Seeds.merge(metadata, Json.object().put("schema_version", env.get("schema_version").asText()));
    }
    runs.add(RunRecord.builder(runId).agentId(text(session, "agent_id"))
        .startNanos(LenientTimes.read(session, "start_time")).endNanos(LenientTimes.read(session, "end_time"))
        .status(failure != null ? RunStatus.FAILURE : null).failure(failure).metadata(metadata).build());
  }

  /** The SDK's span kinds as step types: {@link StepTypes} knows them, as on every ingest path. */
  static String type(String kind) {
    return StepTypes.normalize(kind);
  }
}
