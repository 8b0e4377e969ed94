package dev.sextant.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.protocol.JsonFields;
import java.net.URI;

/**
 * A notification channel of a project.
 *
 * @param type {@code webhook} (the documented JSON body, signed) or {@code slack} (Slack's
 *     incoming-webhook format)
 * @param secret the HMAC-SHA256 key of the {@code X-Sextant-Signature} header; null: unsigned
 * @param timeoutMs how long one attempt may take
 * @param maxAttempts attempts in all, retried with exponential backoff from {@code backoffMs}
 */
public record Channel(String id, String name, String type, String url, String secret, long timeoutMs, int maxAttempts,
    long backoffMs) {

  /** The channel a request body describes; an {@link IllegalArgumentException} says what to fix. */
  public static Channel parse(String id, JsonNode o) {
    String name = JsonFields.nonBlankText(o, "name");
    if (name == null) throw new IllegalArgumentException("name is required");
    String type = JsonFields.nonBlankText(o, "type");
    if (!"webhook".equals(type) && !"slack".equals(type)) {
      throw new IllegalArgumentException("type must be webhook or slack");
    }
    String url = JsonFields.nonBlankText(o, "url");
    if (url == null) throw new IllegalArgumentException("url is required, e.g. https://example.com/hooks/sextant");
    try {
      URI u = URI.create(url);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("url must be an http or https URL, got \"" + url + "\"");
    }
    long timeout = whole(o, "timeout_ms", 5000, 100, 60_000);
    int attempts = (int) whole(o, "max_attempts", 4, 1, 10);
    long backoff = whole(o, "backoff_ms", 1000, 1, 600_000);
    return new Channel(id, name, type, url, JsonFields.nonBlankText(o, "secret"), timeout, attempts, backoff);
  }

  public static Channel fromJson(String json) {
    try {
      return Json.MAPPER.readValue(json, Channel.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("unreadable channel: " + e.getMessage(), e);
    }
  }

  private static long whole(JsonNode o, String field, long dflt, long min, long max) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return dflt;
    if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
      throw new IllegalArgumentException(field + " must be a whole number from " + min + " to " + max);
    }
    return v.asLong();
  }
}
