package dev.sextant.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * More load than the writer can take: requests that do not fit the bounded queue get 429 with
 * Retry-After, never a 5xx, and every acknowledged item is stored.
 */
class ITBackpressure {
  @Test
  void overload_gets429_andLosesNothingAcknowledged() throws Exception {
    try (TestServer server = TestServer.start(c -> c.toBuilder().queueCapacityItems(400).maxCommitItems(41).build())) {
      Set<String> acked = ConcurrentHashMap.newKeySet();
      Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
      Set<String> retryAfter = ConcurrentHashMap.newKeySet();
      ExecutorService pool = Executors.newFixedThreadPool(48);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 48; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            String runId = "bp-" + thread + "-" + i;
            TestServer.Response r = server.post("/v1/ingest", LoadBodies.run(runId, 40));
            statuses.computeIfAbsent(r.status(), k -> new AtomicLong()).incrementAndGet();
            if (r.status() == 200) acked.add(runId);
            if (r.status() == 429) retryAfter.add(String.valueOf(r.header("retry-after")));
          }
          return null;
        }));
      }
      for (Future<?> f : futures) f.get(5, TimeUnit.MINUTES);
      pool.shutdown();

      assertThat(statuses.keySet()).as("statuses %s", statuses).containsOnly(200, 429);
      assertThat(statuses.get(429).get()).as("some requests were throttled").isPositive();
      assertThat(retryAfter).containsExactly("1");
      for (String runId : acked) {
        JsonNode run = Json.read(server.get("/v1/runs/" + runId).body()).path("run");
        assertThat(run.path("step_count").asInt()).as(runId).isEqualTo(40);
      }
      assertThat(server.server().store().stats("default", dev.sextant.store.RunQuery.all()).runs().total())
          .isEqualTo(acked.size());
    }
  }
}
