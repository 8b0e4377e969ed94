package dev.sextant.alert;

import dev.sextant.model.Json;

/**
 * Where one alert of a rule stands. A budget rule has one alert per threshold ({@code key} is the
 * percentage, e.g. {@code 80}); other rules have one, key {@code ""}.
 *
 * @param state {@code inactive}, {@code pending}, {@code firing} or {@code resolved}
 * @param sinceNs when the current state began, epoch nanoseconds
 * @param startsAtNs when the alert last began firing (0: never)
 * @param periodStartNs budget rules: the period in which the alert last fired (it fires once per period)
 * @param value the value measured at the last evaluation
 * @param threshold the value it was compared with
 */
public record AlertState(
    String ruleId, String key, String state, long sinceNs, long startsAtNs, long periodStartNs, double value,
    double threshold) {

  static final AlertState INACTIVE = new AlertState(null, "", "inactive", 0, 0, 0, 0, 0);

  public String docId() {
    return key.isEmpty() ? ruleId : ruleId + ":" + key;
  }

  public static AlertState fromJson(String json) {
    try {
      return Json.MAPPER.readValue(json, AlertState.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("unreadable alert state: " + e.getMessage(), e);
    }
  }
}
