package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Json;
import dev.sextant.model.Times;
import dev.sextant.store.postgres.TestPostgres;
import dev.sextant.testing.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code sextant serve} processes on one PostgreSQL database, started at the same moment on
 * an empty schema. Concurrent clients spray every run's records across the nodes in random order,
 * some twice; afterwards every node gives the same answers, and they are what was sent. A key or a
 * session revoked on one node is refused by the others at once.
 */
class ITPostgresMultiNode {
  private static final String KEY = "sk-multi-node-test-key-0123456789";
  private static final int RUNS = 24;
  private static final int STEPS = 40;
  private static final long T0 = Times.parse("2026-11-22T10:00:00Z");

  @TempDir Path dir;
  private final List<ServerProcess> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    nodes.parallelStream().forEach(ServerProcess::close);
  }

  @Test
  void threeNodes_sameRunsInRandomOrder_sameAnswersOnEveryNode() throws Exception {
    List<String> bases = startNodes(3);

    // every record once, a fifth of them twice, shuffled, cut into requests of 1 to 15 records
    Random random = new Random(1234);
    List<JsonNode> records = new ArrayList<>();
    for (int r = 0; r < RUNS; r++) records.addAll(runRecords(r));
    List<JsonNode> sent = new ArrayList<>(records);
    for (int i = 0; i < records.size() / 5; i++) sent.add(records.get(random.nextInt(records.size())));
    Collections.shuffle(sent, random);
    ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < sent.size(); ) {
      int n = 1 + random.nextInt(15);
      requests.add(body(sent.subList(i, Math.min(sent.size(), i + n))));
      i += n;
    }

    ExecutorService clients = Executors.newFixedThreadPool(8);
    AtomicInteger retried = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      done.add(clients.submit(() -> {
        String request;
        while ((request = requests.poll()) != null) {
          send(bases.get(ThreadLocalRandom.current().nextInt(bases.size())), request, retried);
        }
        return null;
      }));
    }
    for (Future<?> f : done) f.get(120, TimeUnit.SECONDS);
    clients.shutdown();

    for (int r = 0; r < RUNS; r++) {
      String path = "/v1/runs/run-" + r;
      JsonNode first = get(bases.get(0), path);
      for (String base : bases.subList(1, 3)) assertThat(get(base, path)).isEqualTo(first);
      assertRunIsWhatWasSent(r, first);
    }
    JsonNode list = get(bases.get(1), "/v1/runs?limit=1000");
    assertThat(list.get("runs")).hasSize(RUNS);
    JsonNode stats = get(bases.get(2), "/v1/stats");
    assertThat(stats.at("/runs/total").asInt()).isEqualTo(RUNS);
    for (String base : bases) {
      assertThat(get(base, "/v1/stats")).isEqualTo(stats);
      assertThat(get(base, "/v1/runs?limit=1000")).isEqualTo(list);
    }
  }

  /** No node keeps keys or sessions in memory: what one node revokes, the next request to another refuses. */
  @Test
  void aKeyOrSessionRevokedOnOneNode_isRefusedAtOnceByTheOther() throws Exception {
    List<String> bases = startNodes(2);
    JsonNode key = Json.read(send(bases.get(0), "POST", "/v1/projects/default/api-keys", "Bearer " + KEY,
        "{\"scopes\":[\"read\"],\"name\":\"revoked-soon\"}", 201).body());
    String secret = "Bearer " + key.get("secret").asText();
    send(bases.get(1), "GET", "/v1/runs", secret, null, 200);
    send(bases.get(0), "DELETE", "/v1/projects/default/api-keys/" + key.get("public_id").asText(), "Bearer " + KEY,
        null, 204);
    send(bases.get(1), "GET", "/v1/runs", secret, null, 401);

    HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(bases.get(0) + "/v1/auth/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"multi-node-admin\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
    HttpRequest.Builder me = HttpRequest.newBuilder(URI.create(bases.get(1) + "/v1/auth/me")).header("Cookie", cookie);
    assertThat(http.send(me.GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    HttpResponse<String> logout = http.send(HttpRequest.newBuilder(URI.create(bases.get(0) + "/v1/auth/logout"))
        .header("Cookie", cookie).header("X-Sextant-Csrf", "1").POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(logout.statusCode()).as(logout.body()).isBetween(200, 204);
    assertThat(http.send(me.GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
  }

  /** Starts {@code n} server processes on one fresh PostgreSQL schema; returns their base URLs. */
  private List<String> startNodes(int n) throws Exception {
    String url = TestPostgres.shared().freshSchemaUrl();
    for (int i = 0; i < n; i++) {
      Path work = Files.createDirectories(dir.resolve("node" + i));
      nodes.add(ServerProcess.start(List.of("--host", "127.0.0.1", "--port", "0", "--otlp-http-port", "-1",
              "--otlp-grpc-port", "-1", "--data-dir", work.toString(), "--store", "postgres", "--postgres-url", url),
          Map.of("SEXTANT_BOOTSTRAP_API_KEY", KEY, "SEXTANT_BOOTSTRAP_ADMIN_PASSWORD", "multi-node-admin"),
          work));
    }
    List<String> bases = new ArrayList<>();
    for (ServerProcess node : nodes) bases.add("http://127.0.0.1:" + node.awaitPort(90));
    return bases;
  }

  private HttpResponse<String> send(String base, String method, String path, String auth, String json, int expect)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth);
    if (json != null) b.header("Content-Type", "application/json");
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expect);
    return r;
  }

  private static void assertRunIsWhatWasSent(int r, JsonNode detail) {
    JsonNode run = detail.get("run");
    assertThat(run.get("run_id").asText()).isEqualTo("run-" + r);
    assertThat(run.get("agent_id").asText()).isEqualTo("support-agent");
    assertThat(run.get("status").asText()).isEqualTo(r % 5 == 0 ? "failure" : "success");
    assertThat(run.get("start_time").asText()).isEqualTo(Times.format(start(r)));
    assertThat(run.get("duration_ms").asDouble()).isEqualTo(STEPS * 100.0);
    assertThat(run.get("step_count").asInt()).isEqualTo(STEPS);
    assertThat(run.get("error_count").asInt()).isEqualTo(r % 3 == 0 ? 1 : 0);
    assertThat(run.get("retry_count").asInt()).isEqualTo(r % 3 == 0 ? 1 : 0);
    long tokens = 0;
    for (int s = 0; s < STEPS; s++) if (s % 3 == 0) tokens += 100 + s;
    assertThat(run.get("input_tokens").asLong()).isEqualTo(tokens);
    assertThat(run.get("labels").get("shard").asText()).isEqualTo("s" + (r % 4));
    ArrayNode steps = (ArrayNode) detail.get("steps");
    Set<String> ids = new HashSet<>();
    for (int s = 0; s < steps.size(); s++) {
      JsonNode step = steps.get(s);
      assertThat(ids.add(step.get("step_id").asText())).as("duplicate step %s", step.get("step_id")).isTrue();
      assertThat(step.get("seq").asInt()).isEqualTo(s + 1);
      assertThat(step.get("step_id").asText()).isEqualTo("run-" + r + "-s" + s);
      assertThat(step.get("name").asText()).isEqualTo("step-" + s);
    }
    assertThat(steps).hasSize(STEPS);
  }

  /** A run's start record, its end record and its steps, each a one-record request body part. */
  private static List<JsonNode> runRecords(int r) {
    List<JsonNode> out = new ArrayList<>();
    String runId = "run-" + r;
    ObjectNode start = Json.object();
    start.put("kind", "run");
    start.put("run_id", runId);
    start.put("agent_id", "support-agent");
    start.put("agent_version", "v" + (r % 2 + 1));
    start.put("environment", "production");
    start.put("name", "handle_ticket");
    start.put("start_time", Times.format(start(r)));
    start.put("status", "running");
    start.putObject("labels").put("shard", "s" + (r % 4));
    out.add(start);
    ObjectNode end = Json.object();
    end.put("kind", "run");
    end.put("run_id", runId);
    end.put("end_time", Times.format(start(r) + STEPS * 100_000_000L));
    end.put("status", r % 5 == 0 ? "failure" : "success");
    if (r % 5 == 0) end.putObject("failure").put("type", "tool").put("code", "timeout").put("step_id", runId + "-s5");
    out.add(end);
    for (int s = 0; s < STEPS; s++) {
      ObjectNode step = Json.object();
      step.put("kind", "step");
      step.put("run_id", runId);
      step.put("step_id", runId + "-s" + s);
      step.put("seq", s + 1);
      step.put("type", s % 3 == 0 ? "llm" : "tool");
      step.put("name", "step-" + s);
      step.put("start_time", Times.format(start(r) + s * 100_000_000L));
      step.put("end_time", Times.format(start(r) + s * 100_000_000L + 90_000_000L));
      boolean failed = r % 3 == 0 && s == 4;
      step.put("status", failed ? "error" : "ok");
      if (failed) step.putObject("error").put("type", "tool").put("code", "timeout");
      if (r % 3 == 0 && s == 5) {
        step.put("attempt", 2);
        step.put("retry_of", runId + "-s4");
      }
      if (s % 3 == 0) {
        step.put("model", "gpt-4o");
        step.put("input_tokens", 100 + s);
        step.put("output_tokens", 10);
        step.put("cost_usd", 0.001);
      }
      out.add(step);
    }
    return out;
  }

  private static long start(int r) {
    return T0 + r * 60_000_000_000L;
  }

  private static String body(List<JsonNode> records) {
    ObjectNode body = Json.object();
    ArrayNode runs = body.putArray("runs");
    ArrayNode steps = body.putArray("steps");
    for (JsonNode rec : records) {
      ObjectNode copy = ((ObjectNode) rec).deepCopy();
      String kind = copy.remove("kind").asText();
      (kind.equals("run") ? runs : steps).add(copy);
    }
    return Json.write(body);
  }

  /** Posts until accepted, honouring Retry-After as a client should. */
  private void send(String base, String body, AtomicInteger retried) throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/ingest"))
          .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        assertThat(Json.read(r.body()).get("errors")).as(r.body()).isEmpty();
        return;
      }
      assertThat(r.statusCode()).as(r.body()).isIn(429, 503);
      assertThat(attempt).as("still refused after retries: " + r.body()).isLessThan(20);
      retried.incrementAndGet();
      Thread.sleep(Math.min(1000, 200L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1"))));
    }
  }

  private JsonNode get(String base, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return Json.read(r.body());
  }
}
