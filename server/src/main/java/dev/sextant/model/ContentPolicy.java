package dev.sextant.model;

/** What content a project keeps at rest. Applied before anything is queued or stored. */
public enum ContentPolicy {
  /** Default: inputs, outputs and free text dropped; metadata keeps safe values only. */
  METADATA_ONLY("metadata-only"),
  /** Content kept after PII and secret redaction. */
  REDACTED("redacted"),
  /** Content kept as sent (development projects). */
  FULL("full");

  private final String wire;

  ContentPolicy(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** Parses the wire form; returns null for an unknown value. */
  public static ContentPolicy parse(String s) {
    for (ContentPolicy p : values()) if (p.wire.equals(s)) return p;
    return null;
  }
}
