package dev.sextant.model;

import java.util.List;

/** The documented failure types and codes. Codes are an open set; types are closed. */
public final class FailureTaxonomy {
  public static final List<String> TYPES =
      List.of("tool", "model", "retrieval", "orchestration", "guardrail", "unknown");

  public static final List<String> CODES =
      List.of(
          "timeout",
          "schema_invalid",
          "rate_limited",
          "empty_result",
          "auth_failed",
          "malformed_output",
          "context_overflow",
          "tool_not_found",
          "max_iterations",
          "cancelled",
          "internal");

  /** The open set of step types Sextant knows; other lower-case names are kept as sent. */
  public static final List<String> STEP_TYPES =
      List.of(
          "agent", "plan", "llm", "tool", "retrieval", "embedding", "memory", "chain", "respond",
          "stream", "guardrail", "rerank", "evaluator", "custom");

  private FailureTaxonomy() {}
}
