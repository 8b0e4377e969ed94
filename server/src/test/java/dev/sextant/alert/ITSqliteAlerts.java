package dev.sextant.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.store.Store;
import dev.sextant.store.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert conformance suite on a real SQLite file, and webhook delivery to a real HTTP endpoint. */
class ITSqliteAlerts extends AlertConformance {
  @TempDir Path dir;

  @Override
  protected Store open() {
    return SqliteStore.builder().file(dir.resolve("sextant.db")).build();
  }

  @Test
  void webhook_failingTwiceThenSucceeding_getsTheNotificationOnce_signed() throws Exception {
    try (WebhookReceiver hook = new WebhookReceiver(2); ChannelNotifier notifier = new ChannelNotifier(store, clock)) {
      Channel ch = Channel.parse("ch", Json.read("{\"name\":\"ops\",\"type\":\"webhook\",\"url\":\"" + hook.url()
          + "\",\"secret\":\"s3cret\",\"backoff_ms\":20,\"timeout_ms\":2000}"));
      store.putAlertDoc(P, ChannelNotifier.CHANNEL, "ch", Json.write(ch));
      rule("budget", "{\"name\":\"daily spend\",\"kind\":\"budget\",\"period\":\"day\",\"amount_usd\":10,"
          + "\"thresholds\":[1.0],\"channels\":[\"ch\"]}");
      spend("r1", 5, 12.0);
      AlertEvaluator evaluator = new AlertEvaluator(store, notifier, clock);
      evaluator.evaluate();
      evaluator.evaluate();

      await().atMost(Duration.ofSeconds(10)).until(() -> !store.alertLog(P, ChannelNotifier.DELIVERIES, 10).isEmpty());
      assertThat(hook.received).hasSize(3);
      assertThat(hook.accepted()).hasSize(1);
      WebhookReceiver.Received got = hook.accepted().get(0);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      assertThat(got.signature()).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(got.body())));
      JsonNode body = Json.read(new String(got.body(), StandardCharsets.UTF_8));
      assertThat(body.get("rule_id").asText()).isEqualTo("budget");
      assertThat(body.get("state").asText()).isEqualTo("firing");
      assertThat(body.get("value").asDouble()).isEqualTo(12.0);
      assertThat(body.at("/labels/threshold_pct").asText()).isEqualTo("100");

      List<String> log = store.alertLog(P, ChannelNotifier.DELIVERIES, 10);
      assertThat(log).hasSize(1);
      JsonNode delivery = Json.read(log.get(0));
      assertThat(delivery.get("status").asText()).isEqualTo("delivered");
      assertThat(delivery.get("response_code").asInt()).isEqualTo(200);
      assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
    }
  }

  @Test
  void webhook_alwaysFailing_isLoggedFailedAfterMaxAttempts_andSlackBodyHasTextAndBlocks() throws Exception {
    try (WebhookReceiver hook = new WebhookReceiver(100); ChannelNotifier notifier = new ChannelNotifier(store, clock)) {
      Channel ch = Channel.parse("slack", Json.read("{\"name\":\"team\",\"type\":\"slack\",\"url\":\"" + hook.url()
          + "\",\"max_attempts\":2,\"backoff_ms\":10}"));
      store.putAlertDoc(P, ChannelNotifier.CHANNEL, "slack", Json.write(ch));
      AlertEvent e = new AlertEvent(P, "r", "Rule", "error_rate", "firing", 0.5, 0.2, Map.of(), 1, 1, "[firing] Rule");
      Map<String, Object> entry = notifier.deliver(e, "slack");
      assertThat(entry).containsEntry("status", "failed").containsEntry("response_code", 500)
          .containsEntry("attempts", 2);
      JsonNode body = Json.read(new String(hook.received.get(0).body(), StandardCharsets.UTF_8));
      assertThat(body.get("text").asText()).isEqualTo("[firing] Rule");
      assertThat(body.at("/blocks/0/type").asText()).isEqualTo("section");
      assertThat(hook.received.get(0).signature()).isNull();
      assertThat(notifier.deliver(e, "nope")).containsEntry("status", "failed")
          .containsEntry("error", "channel nope does not exist");
    }
  }
}
