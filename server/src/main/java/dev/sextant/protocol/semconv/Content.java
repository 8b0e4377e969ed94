package dev.sextant.protocol.semconv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The attributes that carry prompts, completions, messages, tool arguments and results or
 * documents, in every dialect. They become a step's {@code input} or {@code output} and never its
 * metadata, so that the content policy removes them like any other content.
 */
final class Content {
  /** Whole-value input attributes, first the dialects that take priority. */
  static final List<String> INPUT_KEYS = List.of(
      "langfuse.observation.input",
      "input.value",
      "gen_ai.system_instructions",
      "gen_ai.input.messages",
      "gen_ai.prompt",
      "traceloop.entity.input",
      "gen_ai.tool.call.arguments",
      "gen_ai.retrieval.query.text",
      "gen_ai.tool.definitions",
      "llm.prompt_template.template",
      "llm.prompt_template.variables",
      "reranker.query",
      "mlflow.spanInputs",
      "ai.prompt",
      "ai.prompt.messages",
      "ai.toolCall.args",
      "gcp.vertex.agent.llm_request",
      "gcp.vertex.agent.tool_call_args",
      "pydantic_ai.all_messages");

  /** Flattened input lists ({@code llm.input_messages.0.message.role}); numbered segments follow. */
  static final List<String> INPUT_PREFIXES = List.of(
      "llm.input_messages", "llm.prompts", "gen_ai.prompt", "embedding.embeddings", "reranker.input_documents",
      "llm.tools");

  static final List<String> OUTPUT_KEYS = List.of(
      "langfuse.observation.output",
      "output.value",
      "gen_ai.output.messages",
      "gen_ai.completion",
      "traceloop.entity.output",
      "gen_ai.tool.call.result",
      "gen_ai.retrieval.documents",
      "mlflow.spanOutputs",
      "ai.response.text",
      "ai.response.object",
      "ai.response.toolCalls",
      "ai.toolCall.result",
      "gcp.vertex.agent.llm_response",
      "gcp.vertex.agent.tool_response",
      "final_result");

  static final List<String> OUTPUT_PREFIXES = List.of(
      "llm.output_messages", "llm.choices", "gen_ai.completion", "retrieval.documents", "reranker.output_documents");

  /** Content that belongs to the run rather than to the step. */
  static final String TRACE_INPUT = "langfuse.trace.input";
  static final String TRACE_OUTPUT = "langfuse.trace.output";

  /** Attributes of GenAI message events that hold content. */
  static final List<String> EVENT_INPUT_KEYS = List.of("gen_ai.system_instructions", "gen_ai.input.messages", "gen_ai.prompt");
  static final List<String> EVENT_OUTPUT_KEYS = List.of("gen_ai.output.messages", "gen_ai.completion");

  private static final Set<String> INPUT_KEY_SET = Set.copyOf(INPUT_KEYS);
  private static final Set<String> OUTPUT_KEY_SET = Set.copyOf(OUTPUT_KEYS);

  private static final int MAX_SEGMENTS = 12;

  private Content() {}

  /** True when {@code key} is content of any kind and must stay out of metadata. */
  static boolean isContent(String key) {
    if (INPUT_KEY_SET.contains(key) || OUTPUT_KEY_SET.contains(key) || key.equals(TRACE_INPUT) || key.equals(TRACE_OUTPUT)) {
      return true;
    }
    return prefixOf(key, INPUT_PREFIXES) != null || prefixOf(key, OUTPUT_PREFIXES) != null;
  }

  /**
   * The prefix from {@code prefixes} that {@code key} is a flattened member of: the key continues
   * with {@code .<digits>}, so {@code gen_ai.prompt.0.content} matches {@code gen_ai.prompt} but
   * {@code gen_ai.prompt.name} does not.
   */
  static String prefixOf(String key, List<String> prefixes) {
    for (String p : prefixes) {
      if (key.length() > p.length() + 1 && key.startsWith(p) && key.charAt(p.length()) == '.'
          && Character.isDigit(key.charAt(p.length() + 1))) {
        return p;
      }
    }
    return null;
  }

  /**
   * Collects one side's content, the input's or the output's: whole values first, then flattened
   * lists, in priority order. The keys and prefixes it took are added to {@code notes}.
   */
  static JsonNode collect(Attributes attrs, boolean input, List<String> notes) {
    List<String> keys = input ? INPUT_KEYS : OUTPUT_KEYS;
    List<String> prefixes = input ? INPUT_PREFIXES : OUTPUT_PREFIXES;
    if (!holds(attrs, input ? INPUT_KEY_SET : OUTPUT_KEY_SET, prefixes)) return null;
    ObjectNode parts = Json.object();
    for (String k : keys) {
      JsonNode v = attrs.all().get(k);
      if (v == null || v.isNull()) continue;
      attrs.use(k);
      parts.set(k, Attributes.parsed(v));
    }
    Map<String, ObjectNode> flattened = unflatten(attrs, prefixes);
    if (flattened != null) {
      for (String p : prefixes) {
        ObjectNode root = flattened.get(p);
        if (root != null) parts.set(p, arrays(root));
      }
    }
    if (parts.isEmpty()) return null;
    Iterator<String> names = parts.fieldNames();
    while (names.hasNext()) notes.add(names.next());
    return parts.size() == 1 ? parts.elements().next() : parts;
  }

  /**
   * Whether an attribute is one of {@code keys} or a flattened member of one of {@code prefixes}:
   * a look at each of a span's few attributes, where most spans hold no content, instead of a
   * lookup of each of the many keys.
   */
  private static boolean holds(Attributes attrs, Set<String> keys, List<String> prefixes) {
    for (String key : attrs.all().keySet()) {
      if (keys.contains(key) || prefixOf(key, prefixes) != null) return true;
    }
    return false;
  }

  /**
   * Rebuilds {@code prefix.<i>.a.b = v} attributes as {@code {"<i>": {"a": {"b": v}}}} under each of
   * {@code prefixes}, marking them used, in one pass over the attributes; null when none is there.
   */
  private static Map<String, ObjectNode> unflatten(Attributes attrs, List<String> prefixes) {
    Map<String, ObjectNode> roots = null;
    for (Map.Entry<String, JsonNode> e : attrs.all().entrySet()) {
      String key = e.getKey();
      String prefix = prefixOf(key, prefixes);
      if (prefix == null || e.getValue() == null) continue;
      attrs.use(key);
      if (roots == null) roots = new HashMap<>();
      ObjectNode at = roots.computeIfAbsent(prefix, p -> Json.object());
      String[] segments = key.substring(prefix.length() + 1).split("\\.", MAX_SEGMENTS);
      for (int i = 0; i < segments.length - 1; i++) {
        JsonNode next = at.get(segments[i]);
        if (!(next instanceof ObjectNode)) {
          next = Json.object();
          at.set(segments[i], next);
        }
        at = (ObjectNode) next;
      }
      at.set(segments[segments.length - 1], Attributes.parsed(e.getValue()));
    }
    return roots;
  }

  /** Object levels whose keys are all numbers become arrays ordered by number. */
  private static JsonNode arrays(JsonNode node) {
    if (!node.isObject()) return node;
    ObjectNode o = (ObjectNode) node;
    boolean numeric = !o.isEmpty();
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    for (String n : names) {
      o.set(n, arrays(o.get(n)));
      if (!isIndex(n)) numeric = false;
    }
    if (!numeric) return o;
    TreeMap<Long, JsonNode> ordered = new TreeMap<>();
    for (String n : names) ordered.put(Long.parseLong(n), o.get(n));
    ArrayNode a = Json.NODES.arrayNode(ordered.size());
    ordered.values().forEach(a::add);
    return a;
  }

  private static boolean isIndex(String s) {
    if (s.isEmpty() || s.length() > 9) return false;
    for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
    return true;
  }
}
