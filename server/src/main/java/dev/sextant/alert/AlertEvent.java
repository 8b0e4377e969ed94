package dev.sextant.alert;

import java.util.Map;

/**
 * One state change of an alert that its notification channels should hear about: the rule began
 * firing, or it resolved. Built by the rule evaluator, delivered by an {@link AlertNotifier}.
 *
 * @param projectId the project the rule belongs to
 * @param ruleId the rule's id
 * @param ruleName the rule's name as its author wrote it
 * @param kind the rule's kind: {@code budget}, {@code error_rate}, {@code latency_p95},
 *     {@code failure_count}, {@code no_data} or {@code version_regression}
 * @param state {@code firing} or {@code resolved}
 * @param value the value that was measured at the transition (cost in USD, a ratio, seconds, a count)
 * @param threshold the threshold the value was compared with
 * @param labels what the rule watches and at which level, e.g. {@code agent}, {@code environment},
 *     {@code threshold_pct}; never null
 * @param startsAtNs when the alert began firing, epoch nanoseconds
 * @param atNs when this transition happened, epoch nanoseconds
 * @param summary one sentence a person can read in a notification
 */
public record AlertEvent(
    String projectId,
    String ruleId,
    String ruleName,
    String kind,
    String state,
    double value,
    double threshold,
    Map<String, String> labels,
    long startsAtNs,
    long atNs,
    String summary) {

  public AlertEvent {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
