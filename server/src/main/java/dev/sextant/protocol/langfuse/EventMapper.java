package dev.sextant.protocol.langfuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.StepTypes;
import dev.sextant.model.FailureTaxonomy;
import dev.sextant.model.Json;
import dev.sextant.model.Limits;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepError;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.protocol.ErrorClassifier;
import dev.sextant.protocol.JsonFields;
import dev.sextant.protocol.Lenient;
import dev.sextant.protocol.LenientTimes;
import dev.sextant.protocol.RecentIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Maps the merged events of one Langfuse entity (trace, observation, score) to a record. */
final class EventMapper {
  private static final Set<String> OBSERVATION_TYPES = Set.of(
      "span", "generation", "event", "agent", "tool", "chain", "retriever", "evaluator", "embedding", "guardrail",
      "observation");
  private static final List<String> AGENT_KEYS = List.of("agent_id", "agent_name", "agent");
  private static final List<String> LABEL_SKIP = List.of("agent_id", "agent_name", "agent", "agent_version");
  private static final List<String> LABEL_SKIP_PREFIXES = List.of("langfuse_");

  private final Limits limits;
  /** Observation id to trace id, for updates that leave the trace out. */
  private final RecentIds traces;

  EventMapper(Limits limits, RecentIds traces) {
    this.limits = limits;
    this.traces = traces;
  }

  /** All events of one batch about one entity, merged in the order they apply. */
  static final class Entity {
    final String id;
    final ObjectNode body = Json.object();
    final List<Integer> events = new ArrayList<>();
    /** The type of the first create, which fixes an observation's kind. */
    String createType;
    Long firstTimestamp;
    /** Earliest timestamp of a trace event that looks like the trace's creation. */
    Long createdAt;
    /** Latest timestamp of a trace event that reports the trace's output. */
    Long finishedAt;

    Entity(String id) {
      this.id = id;
    }

    void add(int index, String type, Long timestamp, ObjectNode b) {
      events.add(index);
      if (createType == null && !LangfuseDecoder.isUpdate(type)) createType = type;
      if (firstTimestamp == null) firstTimestamp = timestamp;
      Long at = timestamp;
      try {
        Long own = LenientTimes.read(b, "timestamp");
        if (own != null) at = own;
      } catch (IllegalArgumentException e) {
        // the envelope's time will do
      }
      // The JS SDK sends trace.update() as another trace-create stamped with the time of the
      // update; only an event that names or feeds the trace is taken as its start.
      if (at != null && (b.hasNonNull("name") || b.hasNonNull("input"))) {
        createdAt = createdAt == null ? at : Math.min(createdAt, at);
      }
      if (at != null && b.hasNonNull("output")) finishedAt = finishedAt == null ? at : Math.max(finishedAt, at);
      for (Map.Entry<String, JsonNode> f : b.properties()) {
        if (!f.getValue().isNull()) body.set(f.getKey(), f.getValue());
      }
    }
  }

  /** A mapped observation and the latest time it reports (its end, or an event's time). */
  record Observed(StepRecord step, Long lastTime) {}

  static String kind(String type) {
    if (type.equals("trace-create")) return "trace";
    if (type.equals("score-create")) return "score";
    if (type.equals("sdk-log")) return "log";
    int dash = type.lastIndexOf('-');
    if (dash > 0) {
      String base = type.substring(0, dash);
      String op = type.substring(dash + 1);
      if (OBSERVATION_TYPES.contains(base) && (op.equals("create") || op.equals("update"))) return "observation";
    }
    return "unsupported";
  }

  static String unsupported(String type) {
    if (type.equals("dataset-run-item-create")) {
      return "dataset-run-item-create is internal to Langfuse and not accepted by this server";
    }
    return "unknown event type \"" + type + "\"; expected trace-create, span-create/-update, "
        + "generation-create/-update, event-create, agent-/tool-/chain-/retriever-/evaluator-/embedding-/"
        + "guardrail-create, score-create or sdk-log";
  }

  RunRecord trace(Entity t, Long observedEnd) {
    ObjectNode b = t.body;
    ObjectNode userMetadata = Lenient.object(b, "metadata");
    String name = Lenient.truncate(JsonFields.text(b, "name"), limits.maxNameLength());
    String agent = Lenient.firstText(userMetadata, AGENT_KEYS.toArray(new String[0]));
    if (agent == null) agent = name;
    String version = Lenient.firstText(userMetadata, "agent_version");
    if (version == null) version = Lenient.firstText(b, "version", "release");
    List<String> tags = strings(b.get("tags"));
    Map<String, String> labels = b.has("tags") || b.has("metadata")
        ? Lenient.labels(tags, userMetadata, limits.maxLabels(), limits.maxLabelValueLength(), LABEL_SKIP,
            LABEL_SKIP_PREFIXES)
        : null;
    Long start = t.createdAt;
    Long end = observedEnd;
    if (t.finishedAt != null) end = end == null ? t.finishedAt : Math.max(end, t.finishedAt);
    if (end != null && start != null && end < start) end = start;
    ObjectNode metadata = null;
    if (b.has("metadata") || b.has("userId") || b.has("tags") || b.has("release") || b.has("version")
        || b.has("public") || b.has("externalId")) {
      metadata = Json.object();
      JsonNode m = b.get("metadata");
      if (userMetadata != null) metadata.setAll(userMetadata);
      else if (m != null) metadata.set("metadata", m);
      ObjectNode lf = Json.object();
      copy(b, "userId", lf, "user_id");
      copy(b, "release", lf, "release");
      copy(b, "version", lf, "version");
      copy(b, "public", lf, "public");
      copy(b, "externalId", lf, "external_id");
      if (tags != null) {
        ArrayNode a = lf.putArray("tags");
        tags.forEach(a::add);
      }
      if (!lf.isEmpty()) metadata.set("langfuse", lf);
    }
    int max = limits.maxNameLength();
    return RunRecord.builder(t.id).agentId(Lenient.truncate(agent, max)).agentVersion(Lenient.truncate(version, max))
        .environment(Lenient.truncate(Lenient.text(b, "environment"), max)).name(name)
        .sessionId(Lenient.truncate(JsonFields.text(b, "sessionId"), max)).labels(labels).startNanos(start)
        .endNanos(end).metadata(metadata).input(JsonFields.any(b, "input")).output(JsonFields.any(b, "output"))
        .build();
  }

  Observed observation(String project, Entity o) {
    ObjectNode b = o.body;
    String traceId = JsonFields.text(b, "traceId");
    if (traceId == null) traceId = traces.get(project, o.id);
    if (traceId == null) {
      throw new IllegalArgumentException("traceId is required: observation " + o.id + " names no trace");
    }
    traces.put(project, o.id, traceId);
    String langfuseType = observationType(o.createType, b);
    Map<String, String> notes = new LinkedHashMap<>();
    if (langfuseType != null) {
      notes.put("type", o.createType.startsWith("observation-") ? "observation type=" + langfuseType
          : "langfuse " + o.createType);
    }
    String type = StepTypes.normalize(langfuseType);
    Long start = LenientTimes.read(b, "startTime");
    Long end = LenientTimes.read(b, "endTime");
    if (end == null && "event".equals(langfuseType)) end = start;
    String level = Lenient.text(b, "level");
    String statusMessage = JsonFields.text(b, "statusMessage");
    StepStatus status = null;
    StepError error = null;
    List<StepEvent> events = null;
    if (level != null && level.toUpperCase(Locale.ROOT).equals("ERROR")) {
      String code = ErrorClassifier.code(statusMessage);
      status = FailureTaxonomy.stepStatus(code);
      error = new StepError(FailureTaxonomy.failureType(type), code, statusMessage);
      notes.put("status", "level=ERROR");
    } else {
      if (end != null) {
        status = StepStatus.OK;
        notes.put("status", "endTime without level ERROR");
      }
      if (statusMessage != null) {
        Long at = end != null ? end : start != null ? start : o.firstTimestamp;
        if (at != null) {
          ObjectNode attrs = Json.object();
          if (level != null) attrs.put("level", level);
          attrs.put("message", statusMessage);
          events = List.of(new StepEvent("status_message", at, attrs));
        }
      }
    }
    Tokens tokens = tokens(b, notes);
    Double ttft = null;
    Long completionStart = LenientTimes.read(b, "completionStartTime");
    if (completionStart != null && start != null && completionStart >= start) {
      ttft = (completionStart - start) / 1e6;
      notes.put("time_to_first_token_ms", "completionStartTime - startTime");
    }
    String model = Lenient.text(b, "model");
    if (model != null) notes.put("model", "model");
    ObjectNode metadata = null;
    if (o.createType != null || b.has("metadata")) {
      metadata = Json.object();
      ObjectNode user = Lenient.object(b, "metadata");
      if (user != null) metadata.setAll(user);
      else if (b.hasNonNull("metadata")) metadata.set("metadata", b.get("metadata"));
      ObjectNode lf = Json.object();
      if (langfuseType != null) lf.put("type", langfuseType);
      copy(b, "level", lf, "level");
      copy(b, "version", lf, "version");
      copy(b, "environment", lf, "environment");
      copy(b, "modelParameters", lf, "model_parameters");
      copy(b, "promptName", lf, "prompt_name");
      copy(b, "promptVersion", lf, "prompt_version");
      if (tokens.unit != null) lf.put("usage_unit", tokens.unit);
      if (!lf.isEmpty()) metadata.set("langfuse", lf);
    }
    String parent = JsonFields.text(b, "parentObservationId");
    if (o.id.equals(parent)) parent = null;
    StepRecord step = StepRecord.builder(traceId, o.id).parentStepId(parent).type(langfuseType)
        .name(Lenient.truncate(JsonFields.text(b, "name"), limits.maxNameLength())).startNanos(start).endNanos(end)
        .status(status).model(Lenient.truncate(model, limits.maxNameLength())).inputTokens(tokens.input)
        .outputTokens(tokens.output).cacheReadTokens(tokens.cacheRead).reasoningTokens(tokens.reasoning)
        .costUsd(tokens.cost).timeToFirstTokenMs(ttft).error(error).metadata(metadata)
        .input(JsonFields.any(b, "input")).output(JsonFields.any(b, "output")).events(events)
        .normalization(notes.isEmpty() ? null : notes).build();
    return new Observed(step, end);
  }

  /**
   * A score as an {@code evaluator} step under the observation (or trace) it rates, holding the
   * value in metadata and a {@code score} event; null for scores of a session or dataset run,
   * which have no trace to live in.
   */
  StepRecord score(String project, Entity s) {
    ObjectNode b = s.body;
    String name = JsonFields.text(b, "name");
    if (name == null) throw new IllegalArgumentException("name is required for score-create");
    String traceId = JsonFields.text(b, "traceId");
    String observation = JsonFields.text(b, "observationId");
    if (traceId == null && observation != null) traceId = traces.get(project, observation);
    if (traceId == null) return null;
    Long at = LenientTimes.read(b, "timestamp");
    if (at == null) at = s.firstTimestamp;
    JsonNode value = b.get("value");
    ObjectNode metadata = Json.object();
    metadata.put("score_name", name);
    if (value != null && (value.isNumber() || value.isBoolean() || value.isTextual())) metadata.set("score_value", value);
    copy(b, "dataType", metadata, "score_data_type");
    copy(b, "source", metadata, "score_source");
    copy(b, "configId", metadata, "score_config_id");
    ObjectNode user = Lenient.object(b, "metadata");
    if (user != null) metadata.set("metadata", user);
    ObjectNode output = null;
    String comment = Lenient.text(b, "comment");
    if (comment != null) {
      output = Json.object();
      output.put("comment", comment);
    }
    List<StepEvent> events = null;
    if (at != null) {
      ObjectNode attrs = Json.object();
      attrs.put("name", name);
      if (metadata.has("score_value")) attrs.set("value", metadata.get("score_value"));
      events = List.of(new StepEvent("score", at, attrs));
    }
    return StepRecord.builder(traceId, s.id).parentStepId(observation).type("evaluator")
        .name(Lenient.truncate(name, limits.maxNameLength())).startNanos(at).endNanos(at).status(StepStatus.OK)
        .metadata(metadata).output(output).events(events).normalization(Map.of("type", "langfuse score-create"))
        .build();
  }

  private static String observationType(String createType, ObjectNode b) {
    if (createType == null) return null;
    if (createType.startsWith("observation-")) {
      String t = Lenient.text(b, "type");
      return t == null ? null : t.toLowerCase(Locale.ROOT);
    }
    return createType.substring(0, createType.lastIndexOf('-'));
  }

  private record Tokens(Long input, Long output, Long cacheRead, Long reasoning, Double cost, String unit) {}

  /**
   * Usage from {@code usageDetails} (Langfuse's own keys or OpenAI's), else the legacy
   * {@code usage} object when its unit is tokens; cost from {@code costDetails} or the legacy
   * {@code usage} costs.
   */
  private static Tokens tokens(ObjectNode b, Map<String, String> notes) {
    Long in = null;
    Long out = null;
    Long cache = null;
    Long reasoning = null;
    String unit = null;
    ObjectNode details = Lenient.object(b, "usageDetails");
    ObjectNode usage = Lenient.object(b, "usage");
    if (details != null) {
      in = Lenient.firstCount(details, notes, "input_tokens", "usageDetails", "input", "prompt_tokens", "input_tokens");
      out = Lenient.firstCount(details, notes, "output_tokens", "usageDetails", "output", "completion_tokens",
          "output_tokens");
      cache = Lenient.firstCount(details, notes, "cache_read_tokens", "usageDetails", "input_cached_tokens",
          "cache_read_input_tokens", "input_cache_read");
      if (cache == null) {
        cache = nested(details, notes, "cache_read_tokens", "prompt_tokens_details", "cached_tokens");
        if (cache == null) cache = nested(details, notes, "cache_read_tokens", "input_tokens_details", "cached_tokens");
      }
      reasoning = Lenient.firstCount(details, notes, "reasoning_tokens", "usageDetails", "output_reasoning_tokens",
          "output_reasoning");
      if (reasoning == null) {
        reasoning = nested(details, notes, "reasoning_tokens", "completion_tokens_details", "reasoning_tokens");
        if (reasoning == null) {
          reasoning = nested(details, notes, "reasoning_tokens", "output_tokens_details", "reasoning_tokens");
        }
      }
    }
    if (usage != null) {
      unit = Lenient.text(usage, "unit");
      boolean tokens = unit == null || unit.equalsIgnoreCase("TOKENS");
      if (tokens && in == null) in = Lenient.firstCount(usage, notes, "input_tokens", "usage", "input", "promptTokens");
      if (tokens && out == null) {
        out = Lenient.firstCount(usage, notes, "output_tokens", "usage", "output", "completionTokens");
      }
    }
    Double cost = null;
    ObjectNode costs = Lenient.object(b, "costDetails");
    if (costs != null) {
      cost = Lenient.amount(costs, "total");
      if (cost == null) {
        double sum = 0;
        boolean any = false;
        for (JsonNode v : costs) {
          if (v.isNumber() && v.doubleValue() >= 0) {
            sum += v.doubleValue();
            any = true;
          }
        }
        cost = any ? sum : null;
      }
      if (cost != null) notes.put("cost_usd", "costDetails");
    }
    if (cost == null && usage != null) {
      cost = Lenient.amount(usage, "totalCost");
      if (cost == null && (usage.has("inputCost") || usage.has("outputCost"))) {
        Double i = Lenient.amount(usage, "inputCost");
        Double o = Lenient.amount(usage, "outputCost");
        cost = (i == null ? 0 : i) + (o == null ? 0 : o);
      }
      if (cost != null) notes.put("cost_usd", "usage cost");
    }
    return new Tokens(in, out, cache, reasoning, cost, unit);
  }


  private static Long nested(ObjectNode o, Map<String, String> notes, String note, String object, String key) {
    Long v = Lenient.count(Lenient.object(o, object), key);
    if (v != null) notes.put(note, "usageDetails." + object + "." + key);
    return v;
  }

  private static void copy(ObjectNode from, String field, ObjectNode to, String as) {
    JsonNode v = from.get(field);
    if (v != null && !v.isNull()) to.set(as, v);
  }

  private static List<String> strings(JsonNode a) {
    if (a == null || !a.isArray()) return null;
    List<String> out = new ArrayList<>(a.size());
    for (JsonNode x : a) if (x.isTextual()) out.add(x.textValue());
    return out;
  }
}
