package dev.sextant.store.sql;

import dev.sextant.model.Times;
import dev.sextant.store.AgentSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Agents summed from rows of (agent, version, environment): versions and environments in the order
 * the rows name them, run counts added, the latest start kept. Every backend and both sources
 * (raw runs, day rollups) go through it, so the lists come out alike.
 */
public final class AgentRows {
  private AgentRows() {}

  /** The runs of one agent, version (null: none) and environment (null: none). */
  public record Row(String agent, String version, String environment, long runs, long lastStartNs) {}

  /** The agents of {@code rows}, which are ordered by agent, version and environment. */
  public static List<AgentSummary> summarize(List<Row> rows) {
    Map<String, Acc> byAgent = new LinkedHashMap<>();
    for (Row r : rows) {
      Acc a = byAgent.computeIfAbsent(r.agent(), k -> new Acc());
      if (r.version() != null && !a.versions.contains(r.version())) a.versions.add(r.version());
      if (r.environment() != null && !a.environments.contains(r.environment())) a.environments.add(r.environment());
      a.runs += r.runs();
      a.last = Math.max(a.last, r.lastStartNs());
    }
    List<AgentSummary> out = new ArrayList<>();
    byAgent.forEach((id, a) -> out.add(new AgentSummary(id, a.versions, a.environments, a.runs,
        Times.toInstant(a.last))));
    return out;
  }

  private static final class Acc {
    final List<String> versions = new ArrayList<>();
    final List<String> environments = new ArrayList<>();
    long runs;
    long last;
  }
}
