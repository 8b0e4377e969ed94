package dev.sextant.model;

import java.util.Locale;

/** Outcome of one step; a step without a status has not ended yet. */
public enum StepStatus {
  OK, ERROR, TIMEOUT, CANCELLED;

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public boolean failed() {
    return this == ERROR || this == TIMEOUT;
  }

  /** Parses the wire form; returns null for an unknown value. */
  public static StepStatus parse(String s) {
    if (s == null) return null;
    switch (s.toLowerCase(Locale.ROOT)) {
      case "ok": return OK;
      case "error": return ERROR;
      case "timeout": return TIMEOUT;
      case "cancelled": case "canceled": return CANCELLED;
      default: return null;
    }
  }
}
