package dev.sextant.transfer;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The formats {@code POST /v1/import/{format}} and {@code sextant import --format} read. */
public enum ImportFormat {
  /** Sextant's own export: JSON Lines, each line a {@code POST /v1/ingest} body. */
  NATIVE("native", null),
  /** aiobs's JSON export: sessions, events, function_events, trace_tree. */
  AIOBS("aiobs", new AiobsDecoder()),
  /** The agent-observatory SDK's JSONExporter envelopes: session, span and stream events. */
  AGENT_OBSERVATORY("agent-observatory", new AgentObservatoryDecoder()),
  /** AgentTracer's run payloads: start_run, step, record_failure. */
  AGENTTRACER("agenttracer", new AgentTracerDecoder());

  private final String wire;
  private final SeedDecoder decoder;

  ImportFormat(String wire, SeedDecoder decoder) {
    this.wire = wire;
    this.decoder = decoder;
  }

  public String wire() {
    return wire;
  }

  SeedDecoder decoder() {
    return decoder;
  }

  /** @throws IllegalArgumentException naming the formats there are */
  public static ImportFormat parse(String s) {
    for (ImportFormat f : values()) if (f.wire.equals(s)) return f;
    throw new IllegalArgumentException("format must be one of " + names() + ", got \"" + s + "\"");
  }

  static String names() {
    return Arrays.stream(values()).map(ImportFormat::wire).collect(Collectors.joining(", "));
  }
}
