package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store stops in the middle of ingest and comes back. While it is down, ingest answers 503
 * with Retry-After and the readiness probe 503; afterwards the same server process serves again,
 * and every request it acknowledged is stored. Each backend's test starts a store of its own, even
 * when the tests are pointed at an external one, because it has to stop and restart it.
 */
abstract class StoreOutageCheck {
  private static final int STEPS_PER_RUN = 5;

  @TempDir Path dir;
  private TestServer server;
  private final ExecutorService clients = Executors.newFixedThreadPool(4);

  /** Starts the store in {@code dir}; returns the server configuration that uses it. */
  abstract Config startStore(Path dir, Config defaults) throws Exception;

  /** Stops the store at once. */
  abstract void stopStore() throws Exception;

  /** Starts the store again on the same data and address. */
  abstract void restartStore() throws Exception;

  /** Stops what the test started. */
  abstract void closeStore() throws Exception;

  @AfterEach
  void stop() throws Exception {
    clients.shutdownNow();
    if (server != null) server.close();
    closeStore();
  }

  @Test
  void storeDown_503AndNotReady_thenRecoversWithoutRestart_andKeepsEveryAcknowledgedItem() throws Exception {
    server = TestServer.start(c -> {
      try {
        return startStore(dir, c);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    List<String> refusals = new CopyOnWriteArrayList<>();
    AtomicInteger sequence = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong slowestRefusalMs = new AtomicLong();
    List<Future<?>> loops = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      loops.add(clients.submit(() -> {
        while (running.get()) {
          String runId = "run-" + sequence.incrementAndGet();
          long t0 = System.nanoTime();
          TestServer.Response r = server.post("/v1/ingest", body(runId));
          if (r.status() == 200) {
            acknowledged.add(runId);
          } else {
            slowestRefusalMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
            refusals.add(r.status() + " Retry-After=" + r.header("Retry-After") + " " + r.body());
            Thread.sleep(100);
          }
        }
        return null;
      }));
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 30);
    assertThat(server.get("/health/ready").status()).isEqualTo(200);

    stopStore();
    int before = acknowledged.size();
    await().atMost(Duration.ofSeconds(30)).until(() -> refusals.size() >= 4);
    TestServer.Response ready = server.get("/health/ready");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(Json.read(ready.body()).get("status").asText()).isEqualTo("unavailable");
    for (String refusal : refusals) assertThat(refusal).matches("(?s)503 Retry-After=\\d+ .*\"error\":\"unavailable\".*");
    TestServer.Response read = server.get("/v1/runs");
    assertThat(read.status()).isEqualTo(503);
    assertThat(read.header("Retry-After")).isNotNull();
    assertThat(acknowledged.size()).as("acknowledged while the store was down").isLessThanOrEqualTo(before + 4);
    // refused quickly, not after the 60 s request timeout
    assertThat(slowestRefusalMs.get()).isLessThan(10_000);

    restartStore();
    await().atMost(Duration.ofSeconds(30)).until(() -> server.get("/health/ready").status() == 200);
    int afterRestart = acknowledged.size();
    await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= afterRestart + 30);
    running.set(false);
    for (Future<?> f : loops) f.get(30, TimeUnit.SECONDS);

    for (String runId : acknowledged) {
      TestServer.Response r = server.get("/v1/runs/" + runId);
      assertThat(r.status()).as(runId + " was acknowledged but is missing").isEqualTo(200);
      JsonNode run = Json.read(r.body()).get("run");
      assertThat(run.get("step_count").asInt()).as(runId).isEqualTo(STEPS_PER_RUN);
      assertThat(run.get("status").asText()).isEqualTo("success");
    }
  }

  private static String body(String runId) {
    StringBuilder b = new StringBuilder("{\"runs\":[{\"run_id\":\"").append(runId)
        .append("\",\"agent_id\":\"outage\",\"start_time\":\"2026-11-22T10:00:00Z\",")
        .append("\"end_time\":\"2026-11-22T10:00:01Z\",\"status\":\"success\"}],\"steps\":[");
    for (int s = 0; s < STEPS_PER_RUN; s++) {
      if (s > 0) b.append(',');
      b.append("{\"run_id\":\"").append(runId).append("\",\"step_id\":\"s").append(s).append("\",\"seq\":")
          .append(s + 1).append(",\"type\":\"tool\",\"name\":\"t\",\"status\":\"ok\"}");
    }
    return b.append("]}").toString();
  }
}
