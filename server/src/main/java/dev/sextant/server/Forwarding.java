package dev.sextant.server;

import java.net.URI;
import java.util.Map;

/**
 * Where projects forward what they receive: OTLP/HTTP endpoints ({@code --forward-otlp}).
 *
 * @param targets project id to the full OTLP/HTTP traces URL, e.g. {@code http://collector:4318/v1/traces}
 * @param headers sent with every forwarded request (e.g. {@code Authorization})
 * @param queueBatches committed batches that may wait to be forwarded; past it new ones are dropped
 * @param maxAttempts tries per request (network errors, 408, 429 and 5xx are retried with backoff)
 */
public record Forwarding(Map<String, URI> targets, Map<String, String> headers, int queueBatches, int maxAttempts) {
  public static final Forwarding NONE = new Forwarding(Map.of(), Map.of(), 10_000, 5);

  public Forwarding {
    targets = Map.copyOf(targets);
    headers = Map.copyOf(headers);
    if (queueBatches < 1) throw new IllegalArgumentException("--forward-queue must be 1 or more, got " + queueBatches);
    if (maxAttempts < 1) throw new IllegalArgumentException("forwarding needs at least one attempt, got " + maxAttempts);
  }

  public boolean enabled() {
    return !targets.isEmpty();
  }
}
