package dev.sextant.model;

import dev.sextant.sdk.internal.FailureRules;
import java.util.List;
import java.util.Map;

/**
 * The failure taxonomy and the one classifier every ingest path uses: every decoder (native, OTLP,
 * LangSmith, Langfuse, the seed formats) and the store's failure inference. The table itself is
 * {@link FailureRules} in the SDK, so the SDK and the server cannot answer differently.
 *
 * <p>Three rules, each stated once:
 *
 * <ul>
 *   <li><b>Failure type</b>: from the step type ({@link #failureType}); a type the client states
 *       is kept when it is one of {@link #TYPES}.
 *   <li><b>Step status</b>: a failed step is {@code timeout} when its code is {@code timeout},
 *       {@code cancelled} when it is {@code cancelled}, otherwise {@code error} ({@link #stepStatus}).
 *   <li><b>Cause step</b>: a failure that names its step is taken at its word. A failure the client
 *       only implies (a root that failed, see {@link Failure#inferred}) names no step of its own
 *       choosing: decoders name the root, and the store names the first-ending failed step below
 *       the root that was not retried successfully and has no such failed child, from every stored
 *       step of the run. Only the store sees every step, so only the store applies that rule.
 * </ul>
 */
public final class FailureTaxonomy {
  public static final List<String> TYPES =
      List.of("tool", "model", "retrieval", "orchestration", "guardrail", "unknown");

  private FailureTaxonomy() {}

  /** The failure type of an error in a step of {@code stepType} (normalised), {@code unknown} outside the table. */
  public static String failureType(String stepType) {
    return FailureRules.failureType(stepType);
  }

  /** Every step type with a failure type of its own; other step types give {@code unknown}. */
  public static Map<String, String> failureTypes() {
    return FailureRules.failureTypes();
  }

  /** {@code type} when it is one of {@link #TYPES}, else the failure type of {@code stepType}. */
  public static String failureType(String type, String stepType) {
    return type != null && TYPES.contains(type) ? type : failureType(stepType);
  }

  /** The documented code an exception's or error's name means, or null when it means none. */
  public static String documentedCode(String name) {
    return FailureRules.code(name);
  }

  /** The status of a step that failed with {@code code}. */
  public static StepStatus stepStatus(String code) {
    return StepStatus.parse(FailureRules.status(code));
  }
}
