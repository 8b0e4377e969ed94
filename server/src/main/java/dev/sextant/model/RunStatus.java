package dev.sextant.model;

import java.util.Locale;

/** Outcome of a run. {@code running} until an end is reported. */
public enum RunStatus {
  SUCCESS, FAILURE, PARTIAL, RUNNING;

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public boolean terminal() {
    return this != RUNNING;
  }

  /** Parses the wire form; returns null for an unknown value. */
  public static RunStatus parse(String s) {
    if (s == null) return null;
    switch (s.toLowerCase(Locale.ROOT)) {
      case "success": return SUCCESS;
      case "failure": return FAILURE;
      case "partial": return PARTIAL;
      case "running": return RUNNING;
      default: return null;
    }
  }
}
