package dev.sextant.protocol.semconv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sextant.model.StepTypes;
import dev.sextant.model.FailureTaxonomy;
import dev.sextant.model.Json;
import dev.sextant.model.Limits;
import dev.sextant.model.StepError;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepStatus;
import dev.sextant.model.Text;
import dev.sextant.model.Times;
import dev.sextant.protocol.semconv.Attributes.Hit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the attributes of one span, in any dialect, into Sextant's step and run fields. For each
 * field the dialects are tried in a fixed order and the first that says something wins: Sextant's
 * own {@code sextant.*} (written by the sdk-otel bridge), Langfuse {@code langfuse.*},
 * OpenInference, OpenTelemetry GenAI (current and deprecated names), Traceloop/OpenLLMetry, then
 * LangSmith. Every derived field notes where it came from; attributes no field used stay in
 * metadata, except content, which becomes the step's input or output.
 *
 * <p>Shared by every decoder that receives OpenTelemetry-shaped spans (OTLP, Langfuse OTel,
 * LangSmith OTel mode). Thread-safe.
 */
public final class SpanNormalizer {
  /** Attributes whose string values are JSON objects by convention; metadata keeps them parsed. */
  private static final Set<String> JSON_METADATA = Set.of(
      "langfuse.observation.usage_details", "langfuse.observation.cost_details",
      "langfuse.observation.model.parameters", "langfuse.observation.metadata", "langfuse.trace.metadata",
      "llm.invocation_parameters", "metadata", "langsmith.usage_metadata");

  /** Span events whose attributes carry messages rather than facts about the step. */
  private static final Set<String> MESSAGE_EVENTS = Set.of(
      "gen_ai.user.message", "gen_ai.system.message", "gen_ai.assistant.message", "gen_ai.tool.message");

  /** Attributes naming a span's kind, in the order they are read, each with its values' step types. */
  private static final Map<String, Map<String, String>> KIND_ATTRIBUTES = kindAttributes();

  /** Attributes whose presence makes a span a tool call. */
  private static final List<String> TOOL_ATTRIBUTES = List.of(
      "gen_ai.tool.name", "gen_ai.tool.call.id", "tool.name", "tool_call.id");

  /** Metadata is for short facts; a longer value is cut here (content has its own, larger limit). */
  static final int MAX_METADATA_STRING = 32 * 1024;

  private final int maxNameLength;

  public SpanNormalizer(Limits limits) {
    this.maxNameLength = limits.maxNameLength();
  }

  public SpanFacts normalize(SpanView span) {
    Attributes a = new Attributes(span.attributes());
    Map<String, String> notes = new LinkedHashMap<>();

    Hit<String> model = a.string("langfuse.observation.model.name", "llm.model_name", "llm.response.model_name",
        "llm.request.model_name", "gen_ai.response.model", "gen_ai.request.model", "embedding.model_name",
        "reranker.model_name", "langsmith.metadata.ls_model_name", "ai.model.id");
    note(notes, "model", model);
    Hit<String> provider = a.string("llm.provider", "llm.system", "gen_ai.provider.name", "gen_ai.system",
        "langsmith.metadata.ls_provider", "ai.model.provider");
    note(notes, "provider", provider);

    String type = type(a, model, notes);
    String normalizedType = StepTypes.normalize(type);

    JsonNode usage = objectValue(a, "langfuse.observation.usage_details");
    JsonNode lsUsage = objectValue(a, "langsmith.usage_metadata");
    Long inputTokens = tokens(a, notes, "input_tokens", usage, List.of("input", "prompt_tokens", "input_tokens"),
        lsUsage, List.of("input_tokens"),
        "llm.token_count.prompt", "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.usage.prompt_tokens");
    Long outputTokens = tokens(a, notes, "output_tokens", usage, List.of("output", "completion_tokens", "output_tokens"),
        lsUsage, List.of("output_tokens"),
        "llm.token_count.completion", "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens",
        "llm.usage.completion_tokens");
    Long cacheRead = tokens(a, notes, "cache_read_tokens", usage,
        List.of("cache_read_input_tokens", "input_cache_read", "input_cached_tokens", "cached_tokens"),
        lsUsage, List.of(),
        "llm.token_count.prompt_details.cache_read", "gen_ai.usage.cache_read.input_tokens",
        "gen_ai.usage.cache_read_input_tokens");
    Long reasoning = tokens(a, notes, "reasoning_tokens", usage,
        List.of("output_reasoning_tokens", "output_reasoning", "reasoning_tokens"),
        lsUsage, List.of(),
        "llm.token_count.completion_details.reasoning", "gen_ai.usage.reasoning.output_tokens",
        "gen_ai.usage.reasoning_tokens");
    Double cost = cost(a, notes);
    Double ttft = timeToFirstToken(a, span.startNanos(), notes);

    Hit<Long> seq = a.integer("sextant.step.seq");
    Hit<Long> attempt = a.integer("sextant.attempt");
    Hit<String> retryOf = a.string("sextant.retry_of");

    Hit<String> runId = a.string("sextant.run.id");
    Hit<String> agentId = a.string("sextant.agent.id");
    Hit<String> agentVersion = a.string("sextant.agent.version");
    Hit<String> environment = a.string("sextant.environment", "langfuse.environment");
    Hit<String> session = a.string("sextant.session.id", "langfuse.session.id", "session.id", "gen_ai.conversation.id",
        "traceloop.association.properties.session_id", "langsmith.metadata.session_id",
        "langsmith.metadata.thread_id", "langsmith.metadata.conversation_id", "ai.telemetry.metadata.sessionId");
    Hit<String> user = a.string("langfuse.user.id", "user.id", "traceloop.association.properties.user_id",
        "ai.telemetry.metadata.userId");
    Hit<String> runName = a.string("langfuse.trace.name", "langsmith.trace.name");
    boolean asRoot = flag(a, "langfuse.internal.as_root") | flag(a, "langfuse.internal.is_app_root");
    JsonNode runInput = content(a, Content.TRACE_INPUT);
    JsonNode runOutput = content(a, Content.TRACE_OUTPUT);

    // Events: exceptions explain errors; GenAI message events carry content.
    List<StepEvent> events = new ArrayList<>();
    String exceptionType = null;
    String exceptionMessage = null;
    List<JsonNode> eventInput = new ArrayList<>();
    List<JsonNode> eventOutput = new ArrayList<>();
    if (span.events() != null) {
      for (StepEvent e : span.events()) {
        ObjectNode attrs = e.attributes() == null ? Json.object() : e.attributes().deepCopy();
        if ("exception".equals(e.name())) {
          if (exceptionType == null) exceptionType = Attributes.asString(attrs.get("exception.type"));
          JsonNode msg = attrs.remove("exception.message");
          if (exceptionMessage == null) exceptionMessage = Attributes.asString(msg);
        } else if (MESSAGE_EVENTS.contains(e.name()) || e.name().equals("gen_ai.choice")) {
          ObjectNode message = Json.object();
          message.put("role", e.name().equals("gen_ai.choice") ? "assistant"
              : e.name().substring("gen_ai.".length(), e.name().length() - ".message".length()));
          for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("gen_ai.system") || f.getKey().equals("gen_ai.provider.name")) continue;
            message.set(f.getKey(), Attributes.parsed(f.getValue()));
            it.remove();
          }
          (e.name().equals("gen_ai.choice") ? eventOutput : eventInput).add(message);
        } else if (e.name().startsWith("gen_ai.")) {
          for (String k : Content.EVENT_INPUT_KEYS) {
            JsonNode v = attrs.remove(k);
            if (v != null) eventInput.add(Attributes.parsed(v));
          }
          for (String k : Content.EVENT_OUTPUT_KEYS) {
            JsonNode v = attrs.remove(k);
            if (v != null) eventOutput.add(Attributes.parsed(v));
          }
        }
        events.add(new StepEvent(e.name(), e.timeNanos(), attrs));
      }
    }

    List<String> inputNotes = new ArrayList<>();
    JsonNode input = Content.collect(a, true, inputNotes);
    if (input == null && !eventInput.isEmpty()) {
      input = single(eventInput);
      inputNotes.add("span events");
    }
    if (!inputNotes.isEmpty()) notes.put("input", String.join(", ", inputNotes));
    List<String> outputNotes = new ArrayList<>();
    JsonNode output = Content.collect(a, false, outputNotes);
    if (output == null && !eventOutput.isEmpty()) {
      output = single(eventOutput);
      outputNotes.add("span events");
    }
    if (!outputNotes.isEmpty()) notes.put("output", String.join(", ", outputNotes));

    // Errors: the span status, error.type, Sextant's failure attributes or a Langfuse ERROR level.
    Hit<String> failureType = a.string("sextant.failure.type");
    Hit<String> failureCode = a.string("sextant.failure.code");
    Hit<String> errorType = a.peek("error.type");
    Hit<String> level = a.string("langfuse.observation.level");
    Hit<String> levelMessage = a.string("langfuse.observation.status_message");
    boolean levelError = level != null && level.value().equalsIgnoreCase("ERROR");
    String statusSource = null;
    if (span.statusCode() == SpanView.STATUS_ERROR) statusSource = "status.code=ERROR";
    else if (failureType != null || failureCode != null) statusSource = "sextant.failure.*";
    else if (errorType != null) statusSource = "error.type=" + errorType.value();
    else if (levelError) statusSource = "langfuse.observation.level=ERROR";

    StepStatus status = null;
    StepError error = null;
    String failureCodeValue = null;
    String failureTypeValue = null;
    if (statusSource != null) {
      String code;
      if (failureCode != null) {
        code = failureCode.value();
        notes.put("error.code", failureCode.key());
      } else if (errorType != null) {
        code = ErrorCodes.code(errorType.value());
        notes.put("error.code", "error.type=" + errorType.value());
      } else if (exceptionType != null) {
        code = ErrorCodes.code(exceptionType);
        notes.put("error.code", "exception.type=" + exceptionType);
      } else {
        code = null;
      }
      String errType;
      if (failureType != null) {
        errType = failureType.value();
        notes.put("error.type", failureType.key());
      } else {
        errType = FailureTaxonomy.failureType(normalizedType);
        notes.put("error.type", "step type " + (normalizedType == null ? "custom" : normalizedType));
      }
      String message = levelMessage != null ? levelMessage.value()
          : span.statusMessage() != null && !span.statusMessage().isEmpty() ? span.statusMessage()
          : exceptionMessage;
      error = new StepError(errType, cut(code), message);
      status = FailureTaxonomy.stepStatus(code);
      notes.put("status", statusSource);
      failureCodeValue = code;
      failureTypeValue = errType;
    } else if (span.endNanos() != null) {
      status = StepStatus.OK;
    }
    // a WARNING or DEBUG level is a fact worth keeping; its message is content and stays out
    if (level != null && !levelError) a.unuse(level.key());

    return new SpanFacts(type, status, error, value(model), lower(provider), inputTokens, outputTokens, cacheRead,
        reasoning, cost, ttft, intValue(seq), intValue(attempt), value(retryOf), metadata(a), input, output,
        events, notes, value(runId), value(agentId), value(agentVersion), value(environment), value(session),
        value(user), value(runName), runInput, runOutput, failureTypeValue, failureCodeValue, asRoot);
  }

  // ---------------------------------------------------------------------------------------------

  private static String type(Attributes a, Hit<String> model, Map<String, String> notes) {
    Hit<String> h = a.string("sextant.step.type");
    if (h != null) return noted(notes, h, h.value());
    h = a.string("langfuse.observation.type");
    if (h != null) {
      String t = h.value().toLowerCase(Locale.ROOT);
      return noted(notes, h, t.equals("generation") ? "llm" : t.equals("event") || t.equals("span") ? "custom" : t);
    }
    h = a.string("openinference.span.kind");
    if (h != null) return noted(notes, h, h.value().toLowerCase(Locale.ROOT));
    for (Map.Entry<String, Map<String, String>> kind : KIND_ATTRIBUTES.entrySet()) {
      String t = mapped(a, notes, kind.getKey(), kind.getValue());
      if (t != null) return t;
    }
    for (String k : TOOL_ATTRIBUTES) {
      if (a.has(k)) {
        notes.put("type", k + " present");
        return "tool";
      }
    }
    if (model != null) {
      notes.put("type", model.key() + " present");
      return "llm";
    }
    notes.put("type", "no type attribute");
    return "custom";
  }

  private static Map<String, Map<String, String>> kindAttributes() {
    Map<String, Map<String, String>> kinds = new LinkedHashMap<>();
    kinds.put("gen_ai.operation.name", Map.ofEntries(
        Map.entry("chat", "llm"), Map.entry("text_completion", "llm"), Map.entry("generate_content", "llm"),
        Map.entry("completion", "llm"), Map.entry("generate", "llm"), Map.entry("embeddings", "embedding"),
        Map.entry("retrieval", "retrieval"), Map.entry("invoke_agent", "agent"), Map.entry("create_agent", "agent"),
        Map.entry("execute_tool", "tool"), Map.entry("invoke_workflow", "chain")));
    kinds.put("traceloop.span.kind", Map.of(
        "workflow", "chain", "task", "chain", "agent", "agent", "tool", "tool"));
    kinds.put("llm.request.type", Map.of(
        "chat", "llm", "completion", "llm", "embedding", "embedding", "rerank", "rerank"));
    kinds.put("langsmith.span.kind", Map.of(
        "llm", "llm", "chain", "chain", "tool", "tool", "retriever", "retrieval", "embedding", "embedding",
        "prompt", "prompt", "parser", "chain"));
    return Collections.unmodifiableMap(kinds);
  }

  private static String mapped(Attributes a, Map<String, String> notes, String key, Map<String, String> values) {
    String raw = Attributes.asString(a.all().get(key));
    if (raw == null) return null;
    String t = values.get(raw.trim().toLowerCase(Locale.ROOT));
    if (t == null) return null;
    a.use(key);
    notes.put("type", key + "=" + raw);
    return t;
  }

  private static String noted(Map<String, String> notes, Hit<String> h, String type) {
    notes.put("type", h.key() + "=" + h.value());
    return type;
  }

  private static Long tokens(Attributes a, Map<String, String> notes, String field, JsonNode usage,
      List<String> usageKeys, JsonNode lsUsage, List<String> lsKeys, String... keys) {
    Hit<Long> h = fromObject(usage, "langfuse.observation.usage_details", usageKeys);
    if (h == null) h = a.integer(keys);
    if (h == null) h = fromObject(lsUsage, "langsmith.usage_metadata", lsKeys);
    if (h == null || h.value() < 0) return null;
    notes.put(field, h.key());
    return h.value();
  }

  private static Hit<Long> fromObject(JsonNode o, String key, List<String> fields) {
    if (o == null) return null;
    for (String f : fields) {
      Long v = Attributes.asLong(o.get(f));
      if (v != null) return new Hit<>(key + "." + f, v);
    }
    return null;
  }

  private static Double cost(Attributes a, Map<String, String> notes) {
    JsonNode details = objectValue(a, "langfuse.observation.cost_details");
    if (details != null) {
      Double total = Attributes.asDouble(details.get("total"));
      if (total == null) {
        double sum = 0;
        boolean any = false;
        for (JsonNode v : details) {
          Double d = Attributes.asDouble(v);
          if (d != null) {
            sum += d;
            any = true;
          }
        }
        total = any ? sum : null;
      }
      if (total != null && total >= 0) {
        notes.put("cost_usd", "langfuse.observation.cost_details");
        return total;
      }
    }
    Hit<Double> h = a.number("llm.cost.total");
    if (h == null) {
      Hit<Double> p = a.number("llm.cost.prompt");
      Hit<Double> c = a.number("llm.cost.completion");
      if (p != null || c != null) {
        h = new Hit<>("llm.cost.prompt + llm.cost.completion",
            (p == null ? 0 : p.value()) + (c == null ? 0 : c.value()));
      }
    }
    if (h == null) h = a.number("gen_ai.usage.cost", "gen_ai.usage.cost_usd");
    if (h == null || h.value() < 0) return null;
    notes.put("cost_usd", h.key());
    return h.value();
  }

  private static Double timeToFirstToken(Attributes a, Long startNanos, Map<String, String> notes) {
    Hit<String> t = a.string("langfuse.observation.completion_start_time");
    if (t != null && startNanos != null) {
      String text = t.value().trim();
      if (text.length() > 1 && text.startsWith("\"") && text.endsWith("\"")) text = text.substring(1, text.length() - 1);
      try {
        double ms = (Times.parse(text) - startNanos) / 1e6;
        if (ms >= 0) {
          notes.put("time_to_first_token_ms", t.key() + " - start_time");
          return ms;
        }
      } catch (IllegalArgumentException e) {
        // not a timestamp: left in metadata
      }
      a.unuse(t.key());
    }
    Hit<Double> s = a.number("gen_ai.response.time_to_first_chunk", "gen_ai.server.time_to_first_token");
    if (s != null && s.value() >= 0) {
      notes.put("time_to_first_token_ms", s.key() + " (s)");
      return s.value() * 1000;
    }
    Hit<Double> ms = a.number("ai.response.msToFirstChunk");
    if (ms != null && ms.value() >= 0) {
      notes.put("time_to_first_token_ms", ms.key());
      return ms.value();
    }
    return null;
  }

  private static JsonNode objectValue(Attributes a, String key) {
    JsonNode v = Attributes.parsed(a.all().get(key));
    return v != null && v.isObject() ? v : null;
  }

  private static JsonNode content(Attributes a, String key) {
    JsonNode v = a.all().get(key);
    if (v == null || v.isNull()) return null;
    a.use(key);
    return Attributes.parsed(v);
  }

  private static boolean flag(Attributes a, String key) {
    Boolean b = Attributes.asBoolean(a.all().get(key));
    if (b == null) return false;
    a.use(key);
    return b;
  }

  private ObjectNode metadata(Attributes a) {
    ObjectNode out = Json.object();
    for (Map.Entry<String, JsonNode> e : a.all().entrySet()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (v == null || a.used(k) || Content.isContent(k)) continue;
      if (JSON_METADATA.contains(k)) v = Attributes.parsed(v);
      if (v.isTextual() && v.textValue().length() > MAX_METADATA_STRING) {
        v = TextNode.valueOf(Text.marked(v.textValue(), MAX_METADATA_STRING));
      }
      out.set(k, v);
    }
    return out;
  }

  private static JsonNode single(List<JsonNode> values) {
    if (values.size() == 1) return values.get(0);
    return Json.NODES.arrayNode().addAll(values);
  }

  private String cut(String s) {
    return Text.truncate(s, maxNameLength);
  }

  private static void note(Map<String, String> notes, String field, Hit<String> h) {
    if (h != null) notes.put(field, h.key());
  }

  private static String value(Hit<String> h) {
    return h == null ? null : h.value();
  }

  private static String lower(Hit<String> h) {
    return h == null ? null : h.value().trim().toLowerCase(Locale.ROOT);
  }

  private static Integer intValue(Hit<Long> h) {
    if (h == null || h.value() < Integer.MIN_VALUE || h.value() > Integer.MAX_VALUE) return null;
    return h.value().intValue();
  }
}
