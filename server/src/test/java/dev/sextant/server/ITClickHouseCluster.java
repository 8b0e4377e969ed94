package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.store.clickhouse.ClickHouseStore;
import dev.sextant.store.clickhouse.TestClickHouse;
import dev.sextant.store.postgres.TestPostgres;
import dev.sextant.testing.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two Sextant nodes, each talking to its own ClickHouse server of a two-shard cluster, sharing one
 * PostgreSQL for the small state, ingest at once; half of each run's steps go to one node and half
 * to the other at the same moment. Every run is whole on both nodes, and both shards hold runs.
 */
class ITClickHouseCluster {
  private static final int RUNS = 60;
  private static final int STEPS = 10;

  private TestClickHouse cluster;
  private final List<TestServer> nodes = new ArrayList<>();
  private final ExecutorService clients = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() {
    clients.shutdownNow();
    nodes.forEach(TestServer::close);
    if (cluster != null) cluster.close();
  }

  @Test
  void twoNodesOnTwoShards_mergeRunsSplitBetweenThem() throws Exception {
    cluster = TestClickHouse.start(2);
    String postgres = TestPostgres.shared().freshSchemaUrl();
    nodes.add(node(postgres, cluster.url(0), cluster.url(1)));
    nodes.add(node(postgres, cluster.url(1), cluster.url(0)));

    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      String runId = "split-" + i;
      sends.add(send(nodes.get(0), body(runId, 0, STEPS / 2, true)));
      sends.add(send(nodes.get(1), body(runId, STEPS / 2, STEPS, false)));
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();

    for (TestServer node : nodes) {
      JsonNode page = Json.read(node.get("/v1/runs?limit=1000").body());
      Set<String> ids = new HashSet<>();
      for (JsonNode run : page.get("runs")) {
        ids.add(run.get("run_id").asText());
        assertThat(run.get("step_count").asInt()).as(run.get("run_id").asText()).isEqualTo(STEPS);
        assertThat(run.get("error_count").asInt()).as(run.get("run_id").asText()).isEqualTo(1);
        assertThat(run.get("input_tokens").asLong()).as(run.get("run_id").asText()).isEqualTo(STEPS * 10L);
        assertThat(run.get("status").asText()).isEqualTo("partial");
      }
      assertThat(ids).hasSize(RUNS);
      JsonNode stats = Json.read(node.get("/v1/stats").body());
      assertThat(stats.at("/runs/total").asLong()).isEqualTo(RUNS);
      assertThat(stats.at("/runs/partial").asLong()).isEqualTo(RUNS);
      assertThat(stats.at("/tokens/input").asLong()).isEqualTo(RUNS * STEPS * 10L);
    }
    for (int shard = 0; shard < 2; shard++) {
      long runs = cluster.client(shard, "sextant").select("SELECT count() AS n FROM runs_local FINAL").get(0)
          .get("n").asLong();
      assertThat(runs).as("runs on shard %d", shard).isBetween(1L, (long) RUNS - 1);
    }
  }

  private static TestServer node(String postgres, URI own, URI other) {
    return TestServer.start(c -> c.toBuilder().store("clickhouse").postgresUrl(postgres)
        .clickhouse(new ClickHouseStore.ClickHouseConfig(List.of(own, other), null, null, "sextant",
            TestClickHouse.CLUSTER, Duration.ofSeconds(30)))
        .build());
  }

  private CompletableFuture<Void> send(TestServer node, String body) {
    return CompletableFuture.runAsync(() -> {
      TestServer.Response r = node.post("/v1/ingest", body);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }, clients);
  }

  /** Steps {@code [from, to)} of a run (step 3 fails, without a retry), with the run record itself when {@code withRun}. */
  private static String body(String runId, int from, int to, boolean withRun) {
    StringBuilder b = new StringBuilder("{");
    if (withRun) {
      b.append("\"runs\":[{\"run_id\":\"").append(runId).append("\",\"agent_id\":\"cluster\",")
          .append("\"start_time\":\"2026-11-22T10:00:00Z\",\"end_time\":\"2026-11-22T10:00:09Z\"}],");
    }
    b.append("\"steps\":[");
    for (int s = from; s < to; s++) {
      if (s > from) b.append(',');
      b.append("{\"run_id\":\"").append(runId).append("\",\"step_id\":\"s").append(s).append("\",\"seq\":")
          .append(s + 1).append(",\"type\":\"llm\",\"name\":\"call\",\"model\":\"m\",\"input_tokens\":10,")
          .append("\"start_time\":\"2026-11-22T10:00:0").append(s).append("Z\",\"end_time\":\"2026-11-22T10:00:0")
          .append(s).append(".5Z\",\"status\":\"").append(s == 3 ? "error" : "ok").append("\"}");
    }
    return b.append("]}").toString();
  }
}
