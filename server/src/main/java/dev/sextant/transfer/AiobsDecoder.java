package dev.sextant.transfer;

import static dev.sextant.protocol.Lenient.object;
import static dev.sextant.protocol.Lenient.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Batch;
import dev.sextant.model.FailureTaxonomy;
import dev.sextant.model.Item;
import dev.sextant.model.ItemError;
import dev.sextant.model.Json;
import dev.sextant.model.Position;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepError;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.protocol.BadRequest;
import dev.sextant.protocol.ErrorClassifier;
import dev.sextant.protocol.Lenient;
import dev.sextant.protocol.LenientTimes;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * aiobs's JSON export ({@code observer.flush()}): {@code sessions[{id, name, started_at, ended_at,
 * meta{pid, cwd}, labels}]}, {@code events[]} (provider calls: {@code provider, api, request,
 * response, error, started_at, ended_at, duration_ms, callsite, span_id, parent_span_id,
 * session_id}), {@code function_events[]} (functions under {@code @observe}: {@code name, module,
 * args, kwargs, result} instead of request and response) and {@code trace_tree} (the same events
 * nested, read only when the flat lists are absent). Times are epoch seconds. A session becomes a
 * run (agent {@code aiobs}), each event a step; token counts come from the OpenAI or Gemini
 * response's usage.
 */
final class AiobsDecoder implements SeedDecoder {
  static final String AGENT = "aiobs";
  private static final Set<String> SESSION_FIELDS = Set.of("id", "name", "started_at", "ended_at", "labels");
  private static final Set<String> EVENT_FIELDS = Set.of("provider", "api", "request", "response", "error",
      "started_at", "ended_at", "span_id", "parent_span_id", "session_id", "name", "args", "kwargs", "result",
      "children", "event_type");

  @Override
  public Batch<Position> decode(ObjectMapper mapper, InputStream in) {
    List<JsonNode> docs = Seeds.documents(mapper, in, "aiobs");
    List<Item<RunRecord, Position>> runs = new ArrayList<>();
    List<Item<StepRecord, Position>> steps = new ArrayList<>();
    List<ItemError<Position>> errors = new ArrayList<>();
    for (JsonNode doc : docs) {
      if (!doc.isObject() || !doc.path("sessions").isArray()) {
        throw new BadRequest("invalid_body", "an aiobs export is a JSON object with a \"sessions\" array and"
            + " \"events\" / \"function_events\" arrays, as observer.flush() writes it");
      }
      JsonNode sessions = doc.path("sessions");
      for (int i = 0; i < sessions.size(); i++) {
        JsonNode s = sessions.get(i);
        String id = text(s, "id");
        if (id == null) {
          errors.add(new ItemError<>(new Position("session", i), "sessions[" + i + "].id is required"));
          continue;
        }
        Map<String, String> labels = Lenient.labels(null, s.get("labels"), 64, 256, List.of(), List.of("sextant_"));
        runs.add(new Item<>(RunRecord.builder(id).agentId(AGENT).name(text(s, "name")).labels(labels)
            .startNanos(LenientTimes.read(s, "started_at")).endNanos(LenientTimes.read(s, "ended_at"))
            .metadata(Seeds.unknown(s, SESSION_FIELDS)).build(), new Position("session", i)));
      }
      List<JsonNode> events = new ArrayList<>();
      List<Boolean> functions = new ArrayList<>();
      doc.path("events").forEach(e -> { events.add(e); functions.add(false); });
      doc.path("function_events").forEach(e -> { events.add(e); functions.add(true); });
      if (events.isEmpty()) flatten(doc.path("trace_tree"), events, functions);
      for (int i = 0; i < events.size(); i++) {
        try {
          steps.add(new Item<>(step(events.get(i), functions.get(i), i), new Position("event", i)));
        } catch (IllegalArgumentException e) {
          errors.add(new ItemError<>(new Position("event", i), e.getMessage()));
        }
      }
    }
    return new Batch<>(runs, steps, errors);
  }

  /** The nodes of {@code trace_tree}, depth first; a node is a function event when its event_type says so. */
  private static void flatten(JsonNode nodes, List<JsonNode> events, List<Boolean> functions) {
    for (JsonNode n : nodes) {
      events.add(n);
      functions.add("function".equals(text(n, "event_type")));
      flatten(n.path("children"), events, functions);
    }
  }

  private static StepRecord step(JsonNode e, boolean function, int index) {
    String runId = text(e, "session_id");
    if (runId == null) throw new IllegalArgumentException("session_id is required");
    String stepId = text(e, "span_id");
    if (stepId == null) stepId = runId + "-event-" + index;
    String api = text(e, "api");
    String type = function ? "custom" : api != null && api.toLowerCase(Locale.ROOT).contains("embed") ? "embedding" : "llm";
    String error = text(e, "error");
    StepError stepError = error == null ? null
        : new StepError(FailureTaxonomy.failureType(type), ErrorClassifier.code(error), error);
    ObjectNode metadata = Seeds.unknown(e, EVENT_FIELDS);
    if (api != null && !function) metadata = Seeds.merge(metadata, Json.object().put("api", api));
    JsonNode request = e.get("request");
    JsonNode response = e.get("response");
    JsonNode input = request;
    JsonNode output = response;
    if (function) {
      ObjectNode call = Json.object();
      if (e.hasNonNull("args")) call.set("args", e.get("args"));
      if (e.hasNonNull("kwargs")) call.set("kwargs", e.get("kwargs"));
      input = call.isEmpty() ? null : call;
      output = e.get("result");
    }
    Long in = null;
    Long out = null;
    ObjectNode usage = object(response, "usage");
    ObjectNode gemini = object(response, "usage_metadata");
    if (usage != null) {
      in = Seeds.first(Lenient.count(usage, "prompt_tokens"), Lenient.count(usage, "input_tokens"));
      out = Seeds.first(Lenient.count(usage, "completion_tokens"), Lenient.count(usage, "output_tokens"));
    } else if (gemini != null) {
      in = Lenient.count(gemini, "prompt_token_count");
      out = Lenient.count(gemini, "candidates_token_count");
    }
    String name = function ? text(e, "name") : api;
    return Seeds.step(runId, stepId, text(e, "parent_span_id"), null, type, name,
        LenientTimes.read(e, "started_at"), LenientTimes.read(e, "ended_at"),
        stepError == null ? StepStatus.OK : FailureTaxonomy.stepStatus(stepError.code()), function ? null : text(request, "model"),
        function ? null : text(e, "provider"), in, out, stepError, metadata, input,
        output == null || output.isNull() ? null : output, null);
  }
}
