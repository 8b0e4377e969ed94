package dev.sextant.model;

import java.util.Locale;
import java.util.Map;

/** Normalises step type names from every dialect into Sextant's lower-case open set. */
public final class StepTypes {
  private static final Map<String, String> ALIASES = Map.ofEntries(
      Map.entry("generation", "llm"),
      Map.entry("chat", "llm"),
      Map.entry("completion", "llm"),
      Map.entry("retriever", "retrieval"),
      Map.entry("reranker", "rerank"),
      Map.entry("embeddings", "embedding"),
      Map.entry("span", "custom"),
      Map.entry("unknown", "custom"),
      Map.entry("workflow", "chain"),
      Map.entry("task", "chain"),
      Map.entry("parser", "chain"),
      Map.entry("evaluation", "evaluator"),
      // agent-observatory's kind names
      Map.entry("agent_step", "agent"),
      Map.entry("tool_call", "tool"),
      Map.entry("llm_call", "llm"));

  private StepTypes() {}

  /** Lower-cases and maps known aliases; other names are kept, so nothing is lost. */
  public static String normalize(String type) {
    if (type == null) return null;
    String t = type.trim().toLowerCase(Locale.ROOT);
    if (t.isEmpty()) return null;
    return ALIASES.getOrDefault(t, t);
  }
}
