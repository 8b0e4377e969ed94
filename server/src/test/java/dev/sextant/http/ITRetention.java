package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** Retention set through the project API deletes old raw runs in the background; stats keep them. */
class ITRetention {

  @Test
  void expiredRuns_areDeleted_afterARestart_andStatsStillCountThem() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    TestServer first = TestServer.start();
    String stats;
    try {
      assertThat(first.post("/v1/ingest", body(now)).status()).isEqualTo(200);
      stats = first.get("/v1/stats").body();
      assertThat(Json.read(stats).at("/runs/total").asLong()).isEqualTo(15);

      TestServer.Response bad = first.patch("/v1/projects/default", "{\"raw_retention_days\": -1}");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(Json.read(bad.body()).path("message").asText()).isEqualTo("raw_retention_days must be a whole number"
          + " of days from 0 (keep forever) to 36500, or null for the server's default, got -1");
      TestServer.Response set = first.patch("/v1/projects/default",
          "{\"raw_retention_days\": 7, \"rollup_retention_days\": 365}");
      assertThat(set.status()).isEqualTo(200);
      assertThat(Json.read(set.body()).path("raw_retention_days").asInt()).isEqualTo(7);
      assertThat(Json.read(set.body()).path("rollup_retention_days").asInt()).isEqualTo(365);
    } finally {
      first.server().close(); // keeps the data directory
    }

    try (TestServer second = TestServer.start(first.dataDir(), c -> c)) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(Json.read(second.get("/v1/runs?limit=100").body()).path("runs")).hasSize(5));
      JsonNode page = Json.read(second.get("/v1/runs?limit=100").body());
      Instant rawFrom = Instant.parse(page.path("raw_data_from").asText());
      assertThat(rawFrom).isBetween(now.minus(Duration.ofDays(7)).minusSeconds(120), Instant.now().minus(Duration.ofDays(7)));
      assertThat(second.get("/v1/runs/old-0").status()).isEqualTo(404);
      JsonNode after = Json.read(second.get("/v1/stats").body());
      JsonNode before = Json.read(stats);
      assertThat(after.path("runs")).isEqualTo(before.path("runs"));
      assertThat(after.path("tokens")).isEqualTo(before.path("tokens"));
      assertThat(after.path("by_step_type").get(0).path("count")).isEqualTo(before.path("by_step_type").get(0).path("count"));
      assertThat(Json.read(second.get("/v1/agents").body()).at("/agents/0/run_count").asLong()).isEqualTo(15);
      String oldRange = "from=" + now.minus(Duration.ofDays(21)) + "&to=" + now.minus(Duration.ofDays(19));
      assertThat(Json.read(second.get("/v1/stats?" + oldRange).body()).at("/runs/total").asLong()).isEqualTo(10);
      assertThat(Json.read(second.get("/v1/projects").body()).at("/projects/0/raw_retention_days").asInt())
          .isEqualTo(7);
    }
  }

  /** 10 runs 20 days old and 5 from the last hour, each with one llm step. */
  private static String body(Instant now) {
    ObjectNode body = Json.object();
    ArrayNode runs = body.putArray("runs");
    ArrayNode steps = body.putArray("steps");
    for (int i = 0; i < 15; i++) {
      boolean old = i < 10;
      String id = (old ? "old-" : "new-") + i;
      Instant start = old ? now.minus(Duration.ofDays(20)).plusSeconds(i * 60L) : now.minusSeconds(3600 - i * 60L);
      ObjectNode r = runs.addObject();
      r.put("run_id", id);
      r.put("agent_id", "a");
      r.put("agent_version", "v1");
      r.put("start_time", start.toString());
      r.put("end_time", start.plusMillis(250 + i).toString());
      r.put("status", "success");
      ObjectNode s = steps.addObject();
      s.put("run_id", id);
      s.put("step_id", id + "-s1");
      s.put("type", "llm");
      s.put("start_time", start.toString());
      s.put("end_time", start.plusMillis(200).toString());
      s.put("status", "ok");
      s.put("input_tokens", 100);
      s.put("output_tokens", 10);
    }
    return Json.write(body);
  }
}
