package dev.sextant.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Json;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.store.Project;
import dev.sextant.store.Store;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.sqlite.SqliteStore;
import dev.sextant.testing.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention deletion killed with SIGKILL in the middle of a large deletion, then the server
 * restarted on the same data directory: deletion goes on to the end, every run and step inside
 * the retention is still there, and stats still count the deleted runs.
 */
class ITRetentionResume {
  private static final String KEY = "sk-retention-resume-0123456789";
  private static final long DAY = 86_400_000_000_000L;
  private static final int OLD = 15_000;
  private static final int RECENT = 600;
  private static final int STEPS = 4;

  @TempDir Path dataDir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void killNine_duringDeletion_deletionResumesAndKeepsEverythingInside() throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    long cutoff = now - 5 * DAY;
    fill(now);
    List<String> args = List.of("--data-dir", dataDir.toString(), "--port", "0", "--otlp-http-port", "-1",
        "--otlp-grpc-port", "-1", "--raw-retention-days", "5");
    Map<String, String> env = Map.of("SEXTANT_BOOTSTRAP_API_KEY", KEY);

    long left;
    try (ServerProcess server = ServerProcess.start(args, env, dataDir)) {
      // the first pass starts before the server listens: watch the store from the start
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      do {
        Thread.sleep(10);
        left = count("SELECT count(*) FROM runs WHERE start_ns < " + cutoff);
      } while (left > OLD * 3 / 4 && System.nanoTime() < deadline);
      server.kill();
      left = count("SELECT count(*) FROM runs WHERE start_ns < " + cutoff);
      assertThat(left).as("killed while deletion was under way:\n%s", server.output()).isBetween(1L, OLD - 1L);
    }
    assertWhole(cutoff);

    try (ServerProcess server = ServerProcess.start(args, env, dataDir)) {
      String base = "http://127.0.0.1:" + server.awaitPort(120);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      while (count("SELECT count(*) FROM runs WHERE start_ns < " + cutoff) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(count("SELECT count(*) FROM runs WHERE start_ns < " + cutoff))
          .as("deletion went on after the restart:\n%s", server.output()).isZero();
      assertWhole(cutoff);
      assertThat(count("SELECT count(*) FROM steps")).isEqualTo((long) RECENT * STEPS);

      JsonNode stats = get(base, "/v1/stats");
      assertThat(stats.at("/runs/total").asLong()).as("stats still count the deleted runs").isEqualTo(OLD + RECENT);
      assertThat(stats.at("/runs/success").asLong()).isEqualTo(OLD + RECENT);
      JsonNode page = get(base, "/v1/runs?limit=1000");
      assertThat(page.path("runs")).hasSize(RECENT);
      for (JsonNode run : page.path("runs")) {
        String id = run.path("run_id").asText();
        assertThat(get(base, "/v1/runs/" + id).path("steps")).as(id).hasSize(STEPS);
      }
      assertThat(Instant.parse(page.path("raw_data_from").asText()))
          .isBetween(Instant.ofEpochSecond(0, cutoff), Instant.ofEpochSecond(0, cutoff + DAY));
    }
  }

  /** Every run inside the retention is there; each run is whole or gone with all of its steps. */
  private void assertWhole(long cutoff) throws Exception {
    assertThat(count("SELECT count(*) FROM runs WHERE start_ns >= " + cutoff)).isEqualTo(RECENT);
    assertThat(count("SELECT count(*) FROM steps")).as("steps of the runs left, no more, no fewer")
        .isEqualTo(count("SELECT count(*) FROM runs") * STEPS);
  }

  private void fill(long now) {
    try (Store store = SqliteStore.builder().file(dataDir.resolve("sextant.db")).synchronous("NORMAL").build()) {
      store.migrate();
      store.putProject(new Project("default", "default", ContentPolicy.METADATA_ONLY, Instant.EPOCH));
      for (int from = 0; from < OLD + RECENT; from += 200) {
        List<RunRecord> runs = new ArrayList<>();
        List<StepRecord> steps = new ArrayList<>();
        for (int i = from; i < Math.min(OLD + RECENT, from + 200); i++) {
          // the old runs 20 to 10 days ago, the recent ones in the last hour
          long start = i < OLD ? now - 20 * DAY + i * (10 * DAY / OLD) : now - 3_600_000_000_000L + (i - OLD) * 1_000_000_000L;
          String id = "run-" + i;
          runs.add(RunRecord.builder(id).agentId("agent").agentVersion("v1").environment("production").name("task")
              .labels(Map.of()).startNanos(start).endNanos(start + STEPS * 10_000_000L).status(RunStatus.SUCCESS)
              .build());
          for (int s = 0; s < STEPS; s++) {
            long t = start + s * 10_000_000L;
            steps.add(StepRecord.builder(id, id + "-" + s).seq(s + 1).type("tool").name("lookup").startNanos(t)
                .endNanos(t + 10_000_000L).status(StepStatus.OK).build());
          }
        }
        store.write(List.of(new WriteBatch("default", runs, steps)));
      }
    }
  }

  private long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("sextant.db"));
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private JsonNode get(String base, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.read(r.body());
  }
}
