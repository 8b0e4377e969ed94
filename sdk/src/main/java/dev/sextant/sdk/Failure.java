package dev.sextant.sdk;

/**
 * The semantic reason a run failed.
 *
 * @param type one of {@code tool, model, retrieval, orchestration, guardrail, unknown}
 * @param code a code such as {@code timeout} or {@code rate_limited}; lower-case snake case
 * @param message a human-readable message, or {@code null}
 * @param stepId the step that caused the failure, or {@code null}
 */
public record Failure(String type, String code, String message, String stepId) {}
