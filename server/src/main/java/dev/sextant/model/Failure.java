package dev.sextant.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The semantic reason a run failed.
 *
 * @param type one of {@link FailureTaxonomy#TYPES}
 * @param code a documented code (see docs/data-model.md) or a free code
 * @param message free text; dropped under the {@code metadata-only} content policy
 * @param stepId the step that caused the failure, if known
 * @param inferred true when the client only said that the run failed (an OTLP root span or a
 *     LangSmith root run with an error) and Sextant names the cause; the store then replaces this
 *     provisional failure with the step that caused it whenever the run's steps change (the one
 *     rule of {@link FailureTaxonomy}), so the answer does not depend on which spans arrived in
 *     which request
 */
public record Failure(String type, String code, String message, String stepId, @JsonIgnore boolean inferred) {
  /** A failure the client stated explicitly. */
  public Failure(String type, String code, String message, String stepId) {
    this(type, code, message, stepId, false);
  }

  /** A provisional failure, to be named more precisely from the run's steps. */
  public static Failure inferred(String type, String code, String message, String stepId) {
    return new Failure(type, code, message, stepId, true);
  }

  public Failure withMessage(String newMessage) {
    return new Failure(type, code, newMessage, stepId, inferred);
  }

  public Failure withoutMessage() {
    return message == null ? this : withMessage(null);
  }
}
