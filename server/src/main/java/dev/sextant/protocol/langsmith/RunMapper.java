package dev.sextant.protocol.langsmith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.StepTypes;
import dev.sextant.model.Failure;
import dev.sextant.model.FailureTaxonomy;
import dev.sextant.model.Json;
import dev.sextant.model.Limits;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepError;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.model.Text;
import dev.sextant.protocol.ErrorClassifier;
import dev.sextant.protocol.JsonFields;
import dev.sextant.protocol.Lenient;
import dev.sextant.protocol.LenientTimes;
import dev.sextant.protocol.RecentIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps one LangSmith run message (a create or an update, with its field parts merged in) to a
 * Sextant step, and for a root run also to the Sextant run. The trace is the run, every LangSmith
 * run including the root is a step. A message says only what it carries: fields it leaves out stay
 * null, so a patch that arrives before its post, or twice, merges in the store.
 */
final class RunMapper {
  /** Metadata keys that name the agent, in order of preference, before the LangSmith project. */
  private static final List<String> AGENT_KEYS = List.of("agent_id", "agent_name", "agent");
  private static final List<String> SESSION_KEYS = List.of("session_id", "thread_id", "conversation_id");
  private static final List<String> LABEL_SKIP = List.of("usage_metadata", "revision_id", "agent_version", "environment");
  private static final List<String> LABEL_SKIP_PREFIXES = List.of("ls_", "langsmith_", "langgraph_", "lc_");
  private static final Pattern ADDRESS = Pattern.compile("^lrn:agents/([^/]+)/environments/([^/]+)$");

  private final Limits limits;
  /** Run id to trace id, for updates and legacy creates that name neither trace nor order. */
  private final RecentIds traces;

  RunMapper(Limits limits, RecentIds traces) {
    this.limits = limits;
    this.traces = traces;
  }

  /** A mapped message: always a step; a run too when the message is about a root run. */
  record Mapped(String id, StepRecord step, RunRecord run) {}

  /**
   * @param project the project the message is sent to: a run id is remembered and looked up only
   *     within it, so no project learns another's trace ids or whether an id exists there
   * @param update true for a patch (a message that may omit what the create said)
   * @param pathId the id from {@code PATCH /runs/{id}}, or null
   * @throws IllegalArgumentException with what is wrong, for this message only
   */
  Mapped map(String project, ObjectNode r, boolean update, String pathId) {
    String id = JsonFields.text(r, "id");
    if (pathId != null) {
      if (id != null && !id.equals(pathId)) {
        throw new IllegalArgumentException("id " + id + " in the body differs from run id " + pathId + " in the path");
      }
      id = pathId;
    }
    if (id == null || id.isEmpty()) throw new IllegalArgumentException("id is required");
    String dottedText = JsonFields.text(r, "dotted_order");
    DottedOrder dotted = DottedOrder.parse(dottedText);
    String parent = JsonFields.text(r, "parent_run_id");
    if (parent == null && dotted != null) parent = dotted.parentId();
    String traceId = JsonFields.text(r, "trace_id");
    if (traceId == null && dotted != null) traceId = dotted.traceId();
    if (traceId == null) traceId = traces.get(project, id);
    if (traceId == null && parent != null) traceId = traces.get(project, parent);
    if (traceId == null && parent == null && !update) traceId = id;
    if (traceId == null) {
      throw new IllegalArgumentException("run " + id + " names no trace: send trace_id or dotted_order"
          + (dottedText != null ? " (dotted_order \"" + Text.abbreviate(dottedText, 64)
              + "\" is not segments like 20260101T000000000000Z<run id>)" : ""));
    }
    traces.put(project, id, traceId);
    boolean root = id.equals(traceId);
    if (root || id.equals(parent)) parent = null;

    String runType = JsonFields.text(r, "run_type");
    String type = StepTypes.normalize(runType);
    String name = Lenient.truncate(JsonFields.text(r, "name"), limits.maxNameLength());
    Long start = LenientTimes.read(r, "start_time");
    if (start == null && !update && dotted != null) start = dotted.startNanos();
    Long end = LenientTimes.read(r, "end_time");
    // The JS SDK's start_time carries an execution-order counter in its last three digits (fake
    // microseconds) while end_time is whole milliseconds, so a fast run can end "before" it began.
    if (start != null && end != null && end < start && start - end < 1_000_000L) end = start;
    String error = errorText(r.get("error"));
    ObjectNode extra = JsonFields.object(r, "extra");
    ObjectNode metadata = Lenient.object(extra, "metadata");
    JsonNode inputs = JsonFields.any(r, "inputs");
    JsonNode outputs = JsonFields.any(r, "outputs");
    List<String> tags = strings(r.get("tags"));

    Map<String, String> notes = new LinkedHashMap<>();
    if (runType != null) notes.put("type", "run_type=" + runType);
    StepStatus status = null;
    StepError stepError = null;
    if (error != null) {
      String code = ErrorClassifier.code(error);
      status = FailureTaxonomy.stepStatus(code);
      stepError = new StepError(FailureTaxonomy.failureType(type), code, error);
      notes.put("status", "error");
    } else if (end != null) {
      status = StepStatus.OK;
      notes.put("status", "end_time without error");
    }

    Usage usage = usage(outputs, metadata, notes);
    String model = model(metadata, Lenient.object(extra, "invocation_params"), outputs, notes);
    String provider = Lenient.text(metadata, "ls_provider");
    if (provider != null) notes.put("provider", "extra.metadata.ls_provider");
    List<StepEvent> events = null;
    Double ttft = null;
    JsonNode rawEvents = r.get("events");
    if (rawEvents != null && rawEvents.isArray()) {
      events = new ArrayList<>();
      Long firstToken = events((ArrayNode) rawEvents, events);
      if (firstToken != null && start != null && firstToken >= start) {
        ttft = (firstToken - start) / 1e6;
        notes.put("time_to_first_token_ms", "first new_token event");
      }
    }
    ObjectNode stepMetadata = extra == null ? null : metadata(r, extra, metadata, runType, tags);

    StepRecord step = StepRecord.builder(traceId, id).parentStepId(parent).type(runType).name(name).startNanos(start)
        .endNanos(end).status(status).model(model).provider(provider).inputTokens(usage.input)
        .outputTokens(usage.output).cacheReadTokens(usage.cacheRead).reasoningTokens(usage.reasoning)
        .costUsd(usage.cost).timeToFirstTokenMs(ttft).error(stepError).metadata(stepMetadata).input(inputs)
        .output(outputs).events(events).normalization(notes.isEmpty() ? null : notes).build();
    RunRecord run = root ? run(r, update, traceId, name, start, end, error, type, extra, metadata, tags,
        stepMetadata, inputs, outputs) : null;
    return new Mapped(id, step, run);
  }

  private RunRecord run(ObjectNode r, boolean update, String runId, String name, Long start, Long end, String error,
      String type, ObjectNode extra, ObjectNode metadata, List<String> tags, ObjectNode runMetadata,
      JsonNode inputs, JsonNode outputs) {
    String agentId = null;
    String agentVersion = null;
    String environment = null;
    String sessionId = null;
    Map<String, String> labels = null;
    // An update without extra carries no metadata, so it cannot tell whether metadata named the
    // agent; deriving the agent from its session_name alone could overwrite a better answer.
    if (!update || extra != null) {
      agentId = Lenient.firstText(metadata, AGENT_KEYS.toArray(new String[0]));
      environment = Lenient.text(metadata, "environment");
      String address = Lenient.text(r, "address");
      Matcher m = address == null ? null : ADDRESS.matcher(address);
      if (m != null && m.matches()) {
        if (agentId == null) agentId = m.group(1);
        if (environment == null) environment = m.group(2);
      }
      if (agentId == null) agentId = Lenient.text(r, "session_name");
      agentVersion = Lenient.firstText(metadata, "agent_version", "revision_id");
      if (agentVersion == null) agentVersion = Lenient.text(r, "revision_id");
      sessionId = Lenient.firstText(metadata, SESSION_KEYS.toArray(new String[0]));
      labels = Lenient.labels(tags, metadata, limits.maxLabels(), limits.maxLabelValueLength(),
          concat(LABEL_SKIP, AGENT_KEYS, SESSION_KEYS), LABEL_SKIP_PREFIXES);
    }
    int max = limits.maxNameLength();
    Failure failure = error == null ? null
        : Failure.inferred(FailureTaxonomy.failureType(type), ErrorClassifier.code(error), error, runId);
    return RunRecord.builder(runId).agentId(Lenient.truncate(agentId, max))
        .agentVersion(Lenient.truncate(agentVersion, max)).environment(Lenient.truncate(environment, max)).name(name)
        .sessionId(Lenient.truncate(sessionId, max)).labels(labels).startNanos(start).endNanos(end).failure(failure)
        .metadata(runMetadata).input(inputs).output(outputs).build();
  }

  /** The user's metadata as sent, plus what LangSmith says about the run under {@code langsmith}. */
  private static ObjectNode metadata(ObjectNode r, ObjectNode extra, ObjectNode metadata, String runType,
      List<String> tags) {
    ObjectNode out = Json.object();
    if (metadata != null) out.setAll(metadata);
    ObjectNode ls = Json.object();
    if (runType != null) ls.put("run_type", runType);
    if (tags != null && !tags.isEmpty()) {
      ArrayNode a = ls.putArray("tags");
      tags.forEach(a::add);
    }
    for (String f : List.of("session_name", "session_id", "reference_example_id", "revision_id", "address")) {
      String v = Lenient.text(r, f);
      if (v != null) ls.put(f, v);
    }
    ObjectNode runtime = Lenient.object(extra, "runtime");
    if (runtime != null) ls.set("runtime", runtime);
    ObjectNode invocation = Lenient.object(extra, "invocation_params");
    if (invocation != null) ls.set("invocation_params", invocation);
    if (!ls.isEmpty()) out.set("langsmith", ls);
    return out;
  }

  private record Usage(Long input, Long output, Long cacheRead, Long reasoning, Double cost) {}

  /**
   * Token usage from where LangSmith SDKs and LangChain put it: {@code outputs.usage_metadata},
   * {@code extra.metadata.usage_metadata}, a LangChain chat result's message, or the OpenAI-style
   * {@code outputs.llm_output.token_usage}.
   */
  private static Usage usage(JsonNode outputs, ObjectNode metadata, Map<String, String> notes) {
    String where = "outputs.usage_metadata";
    ObjectNode u = Lenient.object(outputs, "usage_metadata");
    if (u == null) {
      u = Lenient.object(metadata, "usage_metadata");
      where = "extra.metadata.usage_metadata";
    }
    if (u == null) {
      u = Lenient.object(langChainMessage(outputs), "usage_metadata");
      where = "outputs.generations[0][0].message.kwargs.usage_metadata";
    }
    if (u == null) {
      u = Lenient.object(Lenient.object(outputs, "llm_output"), "token_usage");
      where = "outputs.llm_output.token_usage";
    }
    if (u == null) return new Usage(null, null, null, null, null);
    Long in = Lenient.firstCount(u, notes, "input_tokens", where, "input_tokens", "prompt_tokens");
    Long out = Lenient.firstCount(u, notes, "output_tokens", where, "output_tokens", "completion_tokens");
    Long cache = Lenient.count(Lenient.object(u, "input_token_details"), "cache_read");
    if (cache == null) cache = Lenient.count(Lenient.object(u, "prompt_tokens_details"), "cached_tokens");
    if (cache != null) notes.put("cache_read_tokens", where);
    Long reasoning = Lenient.count(Lenient.object(u, "output_token_details"), "reasoning");
    if (reasoning == null) {
      reasoning = Lenient.count(Lenient.object(u, "completion_tokens_details"), "reasoning_tokens");
    }
    if (reasoning != null) notes.put("reasoning_tokens", where);
    Double cost = Lenient.amount(u, "total_cost");
    if (cost == null && (Lenient.amount(u, "input_cost") != null || Lenient.amount(u, "output_cost") != null)) {
      cost = orZero(Lenient.amount(u, "input_cost")) + orZero(Lenient.amount(u, "output_cost"));
    }
    if (cost != null) notes.put("cost_usd", where);
    return new Usage(in, out, cache, reasoning, cost);
  }


  private static double orZero(Double d) {
    return d == null ? 0 : d;
  }

  private static String model(ObjectNode metadata, ObjectNode invocation, JsonNode outputs, Map<String, String> notes) {
    String m = Lenient.text(metadata, "ls_model_name");
    String where = "extra.metadata.ls_model_name";
    if (m == null) {
      m = Lenient.firstText(invocation, "model", "model_name");
      where = "extra.invocation_params.model";
    }
    if (m == null) {
      m = Lenient.firstText(Lenient.object(langChainMessage(outputs), "response_metadata"), "model_name", "model");
      where = "outputs.generations[0][0].message.kwargs.response_metadata.model_name";
    }
    if (m == null) {
      m = Lenient.firstText(Lenient.object(outputs, "llm_output"), "model_name", "model");
      where = "outputs.llm_output.model_name";
    }
    if (m != null) notes.put("model", where);
    return m;
  }

  /** The {@code kwargs} of the first message of a LangChain chat result, or null. */
  private static ObjectNode langChainMessage(JsonNode outputs) {
    if (outputs == null) return null;
    JsonNode g = outputs.path("generations").path(0);
    if (g.isArray()) g = g.path(0);
    JsonNode message = g.path("message");
    ObjectNode kwargs = Lenient.object(message, "kwargs");
    return kwargs != null ? kwargs : message.isObject() ? (ObjectNode) message : null;
  }

  /**
   * Copies events with a name and a time into {@code out}, leaving out streamed tokens (one per
   * token would swamp the step); returns the time of the first streamed token.
   */
  private Long events(ArrayNode raw, List<StepEvent> out) {
    Long firstToken = null;
    for (JsonNode e : raw) {
      String name = Lenient.text(e, "name");
      JsonNode time = e.get("time");
      if (name == null || time == null) continue;
      long t;
      try {
        t = LenientTimes.parse(time);
      } catch (IllegalArgumentException ex) {
        continue;
      }
      if (name.equals("new_token")) {
        if (firstToken == null || t < firstToken) firstToken = t;
        continue;
      }
      if (out.size() >= limits.maxEventsPerStep()) continue;
      ObjectNode kwargs = Lenient.object(e, "kwargs");
      out.add(new StepEvent(Lenient.truncate(name, limits.maxNameLength()), t,
          kwargs == null ? Json.object() : kwargs));
    }
    return firstToken;
  }

  private static String errorText(JsonNode e) {
    if (e == null || e.isNull()) return null;
    String s = e.isTextual() ? e.textValue() : e.toString();
    return s.isBlank() ? null : s;
  }

  static List<String> strings(JsonNode a) {
    if (a == null || !a.isArray()) return null;
    List<String> out = new ArrayList<>(a.size());
    for (JsonNode x : a) if (x.isTextual()) out.add(x.textValue());
    return out;
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> out = new ArrayList<>();
    for (List<String> l : lists) out.addAll(l);
    return out;
  }
}
