package dev.sextant.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest from 8 concurrent clients into a real server process, kill it with SIGKILL at random
 * moments, restart it on the same data directory, and prove that every acknowledged run and step
 * is present exactly once, that run totals are right, and that no run is half-written.
 * {@code sextant.crash.kills} (default 4) kills spread over {@code sextant.crash.steps} acknowledged
 * steps (default: a few hundred runs); the full version in docs/reliability.md kills 20 times over 1 M steps.
 */
class ITCrashRecovery {
  private static final String KEY = "sk-crash-test-0123456789";
  private static final int STEPS = 20;
  private static final int CLIENTS = 8;
  private static final int KILLS = Integer.getInteger("sextant.crash.kills", 4);
  private static final long TARGET_STEPS = Long.getLong("sextant.crash.steps", 0);
  /** What {@link LoadBodies#run} puts in a run of {@link #STEPS} steps: 8 model calls. */
  private static final long RUN_INPUT_TOKENS = 8 * 812;
  private static final long RUN_OUTPUT_TOKENS = 8 * 96;

  @TempDir Path dataDir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void killNine_losesNothingAcknowledged() throws Exception {
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicInteger sequence = new AtomicInteger();
    Random random = new Random(99);
    int ackedBefore = 0;
    long t0 = System.nanoTime();
    for (int round = 0; round <= KILLS; round++) {
      boolean last = round == KILLS;
      ServerProcess s = start();
      AtomicBoolean stop = new AtomicBoolean();
      List<CompletableFuture<Void>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        clients.add(CompletableFuture.runAsync(() -> {
          while (!stop.get()) {
            String runId = "crash-" + sequence.incrementAndGet();
            try {
              HttpResponse<String> r = http.send(ingest(s.port(), runId), HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200) acked.add(runId);
            } catch (IOException e) {
              // the server was killed mid-request: not acknowledged, so no promise to keep
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
        }));
      }
      // Each round acknowledges its share of the target (or, without one, at least 5 runs, so a
      // slow machine still tests a crash in the middle of acknowledged traffic), then the server is
      // killed at a random moment after that; the last round runs to the target and is not killed.
      long share = TARGET_STEPS / STEPS / (KILLS + 1);
      long want = ackedBefore + Math.max(5, share);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + share / 20);
      while (acked.size() < want && System.nanoTime() < deadline) Thread.sleep(20);
      if (last) {
        stop.set(true);
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(s.stop()).as("stopped").isTrue();
        break;
      }
      Thread.sleep(random.nextInt(800));
      assertThat(s.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS)).as("killed").isTrue();
      ackedBefore = acked.size();
      stop.set(true);
      CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }
    assertThat(acked.size()).as("acknowledged runs").isGreaterThanOrEqualTo(20);
    assertThat((long) acked.size() * STEPS).as("acknowledged steps").isGreaterThanOrEqualTo(TARGET_STEPS);
    System.out.printf("crash recovery: %d kills, %d runs (%d steps) acknowledged of %d sent, in %.0f s%n", KILLS,
        acked.size(), (long) acked.size() * STEPS, sequence.get(), (System.nanoTime() - t0) / 1e9);

    ServerProcess s = start();
    try {
      Set<String> stored = new java.util.HashSet<>();
      String cursor = null;
      do {
        JsonNode page = Json.read(http.send(get(s.port(), "/v1/runs?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor)),
            HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode run : page.path("runs")) {
          String id = run.path("run_id").asText();
          assertThat(stored.add(id)).as("run %s listed once", id).isTrue();
          // whole: every step once, and the run's totals add up its steps
          assertThat(run.path("step_count").asInt()).as("steps of run %s", id).isEqualTo(STEPS);
          assertThat(run.path("input_tokens").asLong()).as("input tokens of run %s", id).isEqualTo(RUN_INPUT_TOKENS);
          assertThat(run.path("output_tokens").asLong()).as("output tokens of run %s", id).isEqualTo(RUN_OUTPUT_TOKENS);
        }
        cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
      } while (cursor != null);
      assertThat(stored).as("every acknowledged run is stored").containsAll(acked);
      JsonNode stats = Json.read(http.send(get(s.port(), "/v1/stats"), HttpResponse.BodyHandlers.ofString()).body());
      long steps = 0;
      for (JsonNode t : stats.path("by_step_type")) steps += t.path("count").asLong();
      assertThat(stats.at("/runs/total").asLong()).as("runs in stats").isEqualTo(stored.size());
      assertThat(steps).as("steps in stats: each stored exactly once").isEqualTo((long) stored.size() * STEPS);
    } finally {
      s.stop();
    }
  }

  private HttpRequest ingest(int port, String runId) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/ingest"))
        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(LoadBodies.run(runId, STEPS))).build();
  }

  private HttpRequest get(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + KEY).GET().build();
  }

  private ServerProcess start() throws IOException {
    return ServerProcess.start(dataDir, KEY, List.of("-Xmx256m"), serveOptions());
  }

  /** More options for {@code serve}: another store for a subclass. */
  List<String> serveOptions() {
    return List.of();
  }
}
