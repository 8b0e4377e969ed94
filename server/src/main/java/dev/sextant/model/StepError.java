package dev.sextant.model;

/** What went wrong in one step. The message is content and follows the project's policy. */
public record StepError(String type, String code, String message) {
  public StepError withoutMessage() {
    return message == null ? this : new StepError(type, code, null);
  }
}
