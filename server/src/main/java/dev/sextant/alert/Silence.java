package dev.sextant.alert;

import dev.sextant.model.Json;

/**
 * Notifications of a rule's alerts (or of every rule, when {@code ruleId} is null) are held back
 * until {@code endsAtNs}; states still change and the history still records them.
 */
public record Silence(String id, String ruleId, long endsAtNs, String comment, long createdAtNs) {

  public boolean covers(String rule, long nowNs) {
    return nowNs < endsAtNs && (ruleId == null || ruleId.equals(rule));
  }

  public static Silence fromJson(String json) {
    try {
      return Json.MAPPER.readValue(json, Silence.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("unreadable silence: " + e.getMessage(), e);
    }
  }
}
