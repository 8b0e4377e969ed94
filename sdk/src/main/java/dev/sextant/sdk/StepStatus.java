package dev.sextant.sdk;

import java.util.Locale;

/** Status of a step, as sent on the wire in lower case. */
public enum StepStatus {
  OK,
  ERROR,
  TIMEOUT,
  CANCELLED;

  private final String wire = name().toLowerCase(Locale.ROOT);

  /** The wire form: {@code ok}, {@code error}, {@code timeout} or {@code cancelled}. */
  public String wireName() {
    return wire;
  }
}
