package dev.sextant.model;

import java.util.Locale;

/** What an API key may do. */
public enum Scope {
  INGEST, READ, ADMIN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Scope parse(String s) {
    for (Scope v : values()) if (v.wire().equals(s)) return v;
    return null;
  }
}
