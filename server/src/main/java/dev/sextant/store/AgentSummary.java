package dev.sextant.store;

import java.time.Instant;
import java.util.List;

public record AgentSummary(
    String agentId, List<String> versions, List<String> environments, long runCount, Instant lastSeen) {}
