package dev.sextant.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same runs and steps sent three times in three different orders — each run whole in one
 * request; every step before any run, newest first; runs and steps in random pieces from four
 * clients at once — are stored exactly once: the same counts, each run whole with the right
 * totals. {@code sextant.replay.steps} steps (20,000 by default; 1 M in docs/reliability.md).
 */
class ITReplayOrders {
  static final int STEPS = 20;
  static final long TOTAL_STEPS = Long.getLong("sextant.replay.steps", 20_000);
  static final int RUNS = (int) (TOTAL_STEPS / STEPS);

  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void threeReplaysInDifferentOrders_storeEachItemOnce() throws Exception {
    List<JsonNode> runs = new ArrayList<>();
    List<JsonNode> steps = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      JsonNode body = Json.read(LoadBodies.run("replay-" + i, STEPS));
      runs.add(body.get("runs").get(0));
      body.get("steps").forEach(steps::add);
    }
    long t0 = System.nanoTime();
    // 1: each run with its steps, in order
    List<String> whole = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) whole.add(body(List.of(runs.get(i)), steps.subList(i * STEPS, (i + 1) * STEPS)));
    send(whole, 1);
    // 2: every step first, newest first, 500 a request; then the runs
    List<JsonNode> reversed = new ArrayList<>(steps);
    Collections.reverse(reversed);
    List<String> stepsFirst = new ArrayList<>();
    for (int i = 0; i < reversed.size(); i += 500) stepsFirst.add(body(List.of(), reversed.subList(i, Math.min(reversed.size(), i + 500))));
    for (int i = 0; i < RUNS; i += 100) stepsFirst.add(body(runs.subList(i, Math.min(RUNS, i + 100)), List.of()));
    send(stepsFirst, 1);
    // 3: every item in a random order, cut into pieces of 1 to 300, from four clients at once
    List<JsonNode> items = new ArrayList<>(runs);
    items.addAll(steps);
    Collections.shuffle(items, new Random(7));
    List<String> shuffled = new ArrayList<>();
    Random sizes = new Random(8);
    for (int i = 0; i < items.size();) {
      int n = 1 + sizes.nextInt(300);
      List<JsonNode> piece = items.subList(i, Math.min(items.size(), i + n));
      shuffled.add(body(piece.stream().filter(x -> !x.has("step_id")).toList(),
          piece.stream().filter(x -> x.has("step_id")).toList()));
      i += n;
    }
    send(shuffled, 4);
    System.out.printf("replay: %d runs, %d steps sent 3 times in %.1f s%n", RUNS, (long) RUNS * STEPS,
        (System.nanoTime() - t0) / 1e9);

    JsonNode stats = Json.read(server.get("/v1/stats?agent=load-agent").body());
    long stored = 0;
    for (JsonNode t : stats.path("by_step_type")) stored += t.path("count").asLong();
    assertThat(stats.at("/runs/total").asLong()).isEqualTo(RUNS);
    assertThat(stored).isEqualTo((long) RUNS * STEPS);
    assertThat(stats.at("/tokens/input").asLong()).isEqualTo((long) RUNS * 8 * 812);
    String cursor = null;
    int listed = 0;
    do {
      JsonNode page = Json.read(server.get("/v1/runs?agent=load-agent&limit=1000"
          + (cursor == null ? "" : "&cursor=" + cursor)).body());
      for (JsonNode run : page.path("runs")) {
        listed++;
        assertThat(run.path("step_count").asInt()).as(run.path("run_id").asText()).isEqualTo(STEPS);
        assertThat(run.path("input_tokens").asLong()).as(run.path("run_id").asText()).isEqualTo(8 * 812);
        assertThat(run.path("status").asText()).isEqualTo("success");
      }
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
    } while (cursor != null);
    assertThat(listed).isEqualTo(RUNS);
  }

  private static String body(List<JsonNode> runs, List<JsonNode> steps) {
    ObjectNode o = Json.object();
    ArrayNode r = o.putArray("runs");
    runs.forEach(r::add);
    ArrayNode s = o.putArray("steps");
    steps.forEach(s::add);
    return Json.write(o);
  }

  private static void send(List<String> bodies, int clients) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int first = c;
        done.add(pool.submit(() -> {
          for (int i = first; i < bodies.size(); i += clients) {
            TestServer.Response r = server.post("/v1/ingest", bodies.get(i));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
          }
          return null;
        }));
      }
      for (Future<?> f : done) f.get();
    } finally {
      pool.shutdown();
    }
  }
}
