package dev.sextant.sdk;

/**
 * What went wrong in one step.
 *
 * @param type one of {@code tool, model, retrieval, orchestration, guardrail, unknown}
 * @param code a code such as {@code timeout}; lower-case snake case
 * @param message a human-readable message, or {@code null}
 */
public record StepError(String type, String code, String message) {}
