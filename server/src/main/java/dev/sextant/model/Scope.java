package dev.sextant.model;

import java.util.Locale;

/**
 * What an API key may do. {@code METRICS} reads the instance-wide {@code /metrics} and nothing
 * else; only an instance administrator can give it.
 */
public enum Scope {
  INGEST, READ, ADMIN, METRICS;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Scope parse(String s) {
    for (Scope v : values()) if (v.wire().equals(s)) return v;
    return null;
  }
}
