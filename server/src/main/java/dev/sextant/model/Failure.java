package dev.sextant.model;

/**
 * The semantic reason a run failed.
 *
 * @param type one of {@link FailureTaxonomy#TYPES}
 * @param code a documented code from {@link FailureTaxonomy#CODES} or a free code
 * @param message free text; dropped under the {@code metadata-only} content policy
 * @param stepId the step that caused the failure, if known
 */
public record Failure(String type, String code, String message, String stepId) {
  public Failure withoutMessage() {
    return message == null ? this : new Failure(type, code, null, stepId);
  }
}
