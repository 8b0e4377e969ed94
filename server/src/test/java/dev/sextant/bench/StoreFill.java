package dev.sextant.bench;

import static dev.sextant.bench.BenchArgs.arg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Failure;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepError;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.store.Project;
import dev.sextant.store.Store;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.clickhouse.ClickHouseClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fills a store through the Store API (no HTTP) with {@code --runs} runs of {@code --steps} steps,
 * the IngestLoad step shape, spread over the last {@code --days} days: 3 agents × 4 versions × 2
 * environments, about 8 % failed runs and 5 % retried tool steps. Ids are {@code run-<n>} and
 * {@code run-<n>-<i>}, or random hex as OpenTelemetry's with {@code --ids random}. Rollups are
 * maintained as on any write. Prints the rate, then the latency of the dashboard aggregates
 * ({@link AggregateLatency}), and for SQLite the file size per step after a checkpoint.
 *
 * <pre>
 * java -cp server/target/test-classes:server/target/classes:$(cat cp.txt) dev.sextant.bench.StoreFill \
 *   --store sqlite --file /tmp/fill.db --runs 500000 --steps 20 --days 30
 * (or --store clickhouse --url http://127.0.0.1:8123 --database sextant_bench --file /tmp/small.db)
 * </pre>
 */
public final class StoreFill {
  static final String[] AGENTS = {"support-agent", "billing-agent", "search-agent"};
  static final String[] VERSIONS = {"v1", "v2", "v3", "v4"};
  private static final String[] ENVS = {"production", "staging"};
  private static final String[] TYPES = {"plan", "llm", "tool", "retrieval", "llm"};

  public static void main(String[] args) throws Exception {
    String kind = arg(args, "--store", "sqlite");
    int runs = Integer.parseInt(arg(args, "--runs", "50000"));
    int steps = Integer.parseInt(arg(args, "--steps", "20"));
    int days = Integer.parseInt(arg(args, "--days", "30"));
    int group = Integer.parseInt(arg(args, "--group", "100"));
    Path file = Path.of(arg(args, "--file", "fill.db"));
    Store store = BenchArgs.open(args, "NORMAL");
    store.migrate();
    store.putProject(new Project("default", "default", ContentPolicy.METADATA_ONLY, Instant.EPOCH));
    Random random = new Random(42);
    // --ids random: ids as OpenTelemetry makes them (32 hex digits a trace, 16 a span), in no order;
    // sequential (run-0, run-0-1, ...) sorts runs by start, which favours a store sorted by run id
    Random ids = arg(args, "--ids", "sequential").equals("random") ? new Random(7) : null;
    long end = System.currentTimeMillis() * 1_000_000L;
    long span = days * 86_400_000_000_000L;
    long t0 = System.nanoTime();
    for (int done = 0; done < runs; done += group) {
      List<RunRecord> rs = new ArrayList<>();
      List<StepRecord> ss = new ArrayList<>();
      for (int i = done; i < Math.min(runs, done + group); i++) {
        // runs in start order, as they arrive in production
        long start = end - span + span / runs * i + random.nextInt(1_000_000);
        run(random, ids, ids == null ? "run-" + i : hex(ids, 2), start, steps, rs, ss);
      }
      store.write(List.of(new WriteBatch("default", rs, ss)));
      if ((done / group) % 500 == 0 && done > 0) {
        System.out.printf("%d runs, %.0f steps/s%n", done, done * (double) steps / ((System.nanoTime() - t0) / 1e9));
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    store.close();
    System.out.printf("filled %d runs, %d steps in %.0f s: %.0f steps/s%n", runs, (long) runs * steps, seconds,
        (double) runs * steps / seconds);
    Store reopened = BenchArgs.open(args, null);
    AggregateLatency.run(reopened, end, 50);
    reopened.close();
    if (kind.equals("sqlite")) {
      try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
          var s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      long bytes = java.nio.file.Files.size(file);
      System.out.printf("file %d bytes: %.0f bytes per step%n", bytes, bytes / ((double) runs * steps));
    }
    if (kind.equals("clickhouse")) {
      ClickHouseClient ch = new ClickHouseClient(URI.create(arg(args, "--url", "http://127.0.0.1:8123")), null,
          null, arg(args, "--database", "sextant_bench"), Duration.ofMinutes(30));
      for (ObjectNode t : ch.select("SELECT name FROM system.tables WHERE database = currentDatabase()"
          + " AND engine LIKE '%MergeTree'")) {
        ch.execute("OPTIMIZE TABLE " + t.get("name").asText() + " FINAL");
      }
      long bytes = ch.select("SELECT sum(bytes_on_disk) AS b FROM system.parts WHERE active"
          + " AND database = currentDatabase()").get(0).get("b").asLong();
      System.out.printf("ClickHouse %d bytes on disk (active parts, merged): %.0f bytes per step%n", bytes,
          bytes / ((double) runs * steps));
    }
  }

  /** {@code longs} random longs as hex digits. */
  private static String hex(Random ids, int longs) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < longs; i++) out.append(String.format("%016x", ids.nextLong()));
    return out.toString();
  }

  /** One run; with {@code ids}, its steps get random ids, else the run's id and their index. */
  private static void run(Random random, Random ids, String runId, long start, int steps, List<RunRecord> rs,
      List<StepRecord> ss) {
    String root = ids == null ? runId + "-0" : hex(ids, 1);
    String agent = AGENTS[random.nextInt(AGENTS.length)];
    String version = VERSIONS[random.nextInt(VERSIONS.length)];
    String env = ENVS[random.nextInt(ENVS.length)];
    boolean failed = random.nextInt(100) < 8;
    long t = start;
    for (int i = 0; i < steps; i++) {
      String type = TYPES[i % TYPES.length];
      boolean llm = type.equals("llm");
      long duration = (long) ((llm ? 400 : 40) * Math.exp(random.nextGaussian() * 0.6) * 1_000_000);
      boolean lastFails = failed && i == steps - 1;
      boolean retried = type.equals("tool") && random.nextInt(100) < 5;
      StepStatus status = lastFails || retried ? StepStatus.ERROR : StepStatus.OK;
      StepError error = status == StepStatus.ERROR ? new StepError("tool", "timeout", null) : null;
      String id = i == 0 ? root : ids == null ? runId + "-" + i : hex(ids, 1);
      ss.add(StepRecord.builder(runId, id).parentStepId(i == 0 ? null : root).seq(i + 1).type(type)
          .name(type + "_" + i).startNanos(t).endNanos(t + duration).status(status).model(llm ? "gpt-4o-mini" : null)
          .provider(llm ? "openai" : null).inputTokens(llm ? 812L : null).outputTokens(llm ? 96L : null)
          .costUsd(llm ? 0.00018 : null).timeToFirstTokenMs(llm ? 212.5 : null).error(error).build());
      t += duration;
      if (retried) {
        long d2 = duration / 2;
        String retry = ids == null ? id + "-r" : hex(ids, 1);
        ss.add(StepRecord.builder(runId, retry).parentStepId(i == 0 ? null : root).seq(i + 1).type(type)
            .name(type + "_" + i).startNanos(t).endNanos(t + d2).status(StepStatus.OK).attempt(2).retryOf(id).build());
        t += d2;
      }
    }
    rs.add(RunRecord.builder(runId).agentId(agent).agentVersion(version).environment(env).name("handle_ticket")
        .labels(Map.of()).startNanos(start).endNanos(t).status(failed ? RunStatus.FAILURE : RunStatus.SUCCESS)
        .failure(failed ? new Failure("tool", "timeout", null, null) : null).build());
  }
}
