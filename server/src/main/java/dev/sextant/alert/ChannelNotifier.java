package dev.sextant.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Json;
import dev.sextant.model.Times;
import dev.sextant.store.AlertStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers alert transitions to a project's channels over HTTP: the webhook body (signed with the
 * channel's secret) or Slack's incoming-webhook format. Each delivery is retried on a network error
 * or a non-2xx answer with exponential backoff, and its outcome (response code, attempts) is
 * appended to the project's {@code deliveries} log.
 */
public final class ChannelNotifier implements AlertNotifier, AutoCloseable {
  public static final String CHANNEL = "channel";
  public static final String DELIVERIES = "deliveries";
  static final String SIGNATURE = "X-Sextant-Signature";

  private final AlertStore store;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "sextant-alert-delivery");
    t.setDaemon(true);
    return t;
  });

  public ChannelNotifier(AlertStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public void send(AlertEvent event, List<String> channelIds) {
    for (String id : channelIds) {
      try {
        executor.execute(() -> deliver(event, id));
      } catch (RuntimeException e) {
        // shut down: nothing more is delivered
      }
    }
  }

  /** Delivers now, in this thread, and returns the delivery log entry (for "send test"). */
  public Map<String, Object> deliver(AlertEvent event, String channelId) {
    Optional<Channel> channel = store.alertDoc(event.projectId(), CHANNEL, channelId).map(Channel::fromJson);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("channel_id", channelId);
    entry.put("rule_id", event.ruleId());
    entry.put("state", event.state());
    entry.put("event_at", Times.toInstant(event.atNs()).toString());
    if (channel.isEmpty()) {
      entry.put("status", "failed");
      entry.put("response_code", null);
      entry.put("attempts", 0);
      entry.put("error", "channel " + channelId + " does not exist");
    } else {
      attempt(channel.get(), event, entry);
    }
    long now = Times.toNanos(clock.instant());
    entry.put("at", Times.toInstant(now).toString());
    store.appendAlertLog(event.projectId(), DELIVERIES, now, Json.write(entry));
    return entry;
  }

  private void attempt(Channel ch, AlertEvent event, Map<String, Object> entry) {
    byte[] body = body(ch, event);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ch.url()))
        .timeout(Duration.ofMillis(ch.timeoutMs()))
        .header("Content-Type", "application/json")
        .header("User-Agent", "sextant-alerts")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (ch.secret() != null) request.header(SIGNATURE, "sha256=" + sign(ch.secret(), body));
    Integer code = null;
    String error = null;
    int attempts = 0;
    long backoff = ch.backoffMs();
    while (attempts < ch.maxAttempts()) {
      if (attempts > 0) {
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        backoff *= 2;
      }
      attempts++;
      try {
        HttpResponse<Void> r = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        code = r.statusCode();
        error = code / 100 == 2 ? null : "answered " + code;
        if (error == null) break;
      } catch (java.io.IOException e) {
        code = null;
        error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = "interrupted";
        break;
      }
    }
    entry.put("status", error == null ? "delivered" : "failed");
    entry.put("response_code", code);
    entry.put("attempts", attempts);
    entry.put("error", error);
  }

  /** The bytes sent: the documented webhook JSON, or Slack's {@code text} and {@code blocks}. */
  static byte[] body(Channel ch, AlertEvent e) {
    ObjectNode o = Json.object();
    if (ch.type().equals("slack")) {
      o.put("text", e.summary());
      ArrayNode blocks = o.putArray("blocks");
      ObjectNode section = blocks.addObject();
      section.put("type", "section");
      ObjectNode text = section.putObject("text");
      text.put("type", "mrkdwn");
      text.put("text", (e.state().equals("firing") ? ":rotating_light: *" : ":white_check_mark: *") + e.ruleName()
          + "* is " + e.state() + "\n" + e.summary());
      ObjectNode context = blocks.addObject();
      context.put("type", "context");
      ObjectNode el = context.putArray("elements").addObject();
      el.put("type", "mrkdwn");
      el.put("text", "project " + e.projectId() + " · rule " + e.ruleId() + " · " + e.kind());
    } else {
      o.put("version", 1);
      o.put("id", e.ruleId() + ":" + e.labels().getOrDefault("threshold_pct", "") + ":" + e.state() + ":" + e.atNs());
      o.put("project_id", e.projectId());
      o.put("rule_id", e.ruleId());
      o.put("rule_name", e.ruleName());
      o.put("kind", e.kind());
      o.put("state", e.state());
      o.put("value", e.value());
      o.put("threshold", e.threshold());
      ObjectNode labels = o.putObject("labels");
      e.labels().forEach(labels::put);
      o.put("starts_at", e.startsAtNs() == 0 ? null : Times.toInstant(e.startsAtNs()).toString());
      o.put("at", Times.toInstant(e.atNs()).toString());
      o.put("summary", e.summary());
    }
    return Json.write(o).getBytes(StandardCharsets.UTF_8);
  }

  /** Lower-case hex HMAC-SHA256 of {@code body} with {@code secret}. */
  static String sign(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
  }
}
