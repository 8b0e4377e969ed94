package dev.sextant.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.cost.PriceTable;
import dev.sextant.model.Json;
import dev.sextant.server.Settings;
import dev.sextant.store.postgres.TestPostgres;
import dev.sextant.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two real servers on one PostgreSQL database, each evaluating alert rules every second: a budget
 * rule crossed at once notifies its webhook once per threshold, not once per node.
 */
class ITAlertsTwoServers {

  @Test
  void twoServersOnePostgres_eachAlertFiresAndNotifiesOnce() throws Exception {
    String url = TestPostgres.shared().freshSchemaUrl();
    Settings everySecond = new Settings(0, Duration.ofSeconds(60), List.of(), false, PriceTable.builtIn())
        .withAlertInterval(Duration.ofSeconds(1));
    try (WebhookReceiver hook = new WebhookReceiver(0);
        TestServer a =
            TestServer.start(c -> c.toBuilder().store("postgres").postgresUrl(url).settings(everySecond).build());
        TestServer b =
            TestServer.start(c -> c.toBuilder().store("postgres").postgresUrl(url).settings(everySecond).build())) {
      JsonNode channel = Json.read(a.post("/v1/alerts/channels", "{\"name\":\"ops\",\"type\":\"webhook\",\"url\":\""
          + hook.url() + "\",\"secret\":\"k\"}").body());
      TestServer.Response rule = b.post("/v1/alerts/rules", "{\"name\":\"spend\",\"kind\":\"budget\",\"period\":\"month\","
          + "\"amount_usd\":1,\"channels\":[\"" + channel.get("id").asText() + "\"]}");
      assertThat(rule.status()).as(rule.body()).isEqualTo(201);
      Instant t = Instant.now().minusSeconds(5);
      TestServer.Response ingest = a.post("/v1/ingest", "{\"runs\":[{\"run_id\":\"m1\",\"agent_id\":\"bot\","
          + "\"start_time\":\"" + t + "\",\"end_time\":\"" + t.plusSeconds(1) + "\",\"status\":\"success\"}],"
          + "\"steps\":[{\"run_id\":\"m1\",\"step_id\":\"s1\",\"seq\":1,\"type\":\"llm\",\"name\":\"answer\","
          + "\"start_time\":\"" + t + "\",\"end_time\":\"" + t.plusMillis(500) + "\",\"status\":\"ok\","
          + "\"cost_usd\":2.5}]}");
      assertThat(ingest.status()).as(ingest.body()).isBetween(200, 299);

      await().atMost(Duration.ofSeconds(20)).until(() -> hook.received.size() >= 2);
      Thread.sleep(3000); // three more passes on each node
      assertThat(hook.received).extracting(r -> Json.read(new String(r.body(), StandardCharsets.UTF_8))
          .at("/labels/threshold_pct").asText()).containsExactlyInAnyOrder("80", "100");
      JsonNode history = Json.read(b.get("/v1/alerts/history").body()).get("history");
      assertThat(history).hasSize(2);
      JsonNode current = Json.read(a.get("/v1/alerts").body()).get("alerts");
      assertThat(current).extracting(n -> n.get("state").asText()).containsExactly("firing", "firing");
    }
  }
}
