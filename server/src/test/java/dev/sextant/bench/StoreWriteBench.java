package dev.sextant.bench;

import static dev.sextant.bench.BenchArgs.arg;

import dev.sextant.model.ContentPolicy;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.store.Project;
import dev.sextant.store.Store;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.postgres.PostgresStore;
import dev.sextant.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's write path alone, without HTTP or JSON: {@code --threads} writers each commit
 * {@code --groups} groups of {@code --runs} runs with {@code --steps} steps, as the write queue
 * would. Used to choose batching and writer counts; prints committed steps per second. SQLite
 * commits with {@code synchronous = FULL}, as the server does, unless {@code --synchronous} says
 * otherwise.
 *
 * <pre>
 * java -cp server/target/test-classes:server/target/classes:$(cat cp.txt) dev.sextant.bench.StoreWriteBench \
 *   --store postgres --url postgresql://postgres@localhost:5432/bench --threads 4 --groups 200
 * </pre>
 */
public final class StoreWriteBench {
  public static void main(String[] args) throws Exception {
    String kind = arg(args, "--store", "postgres");
    int threads = Integer.parseInt(arg(args, "--threads", "4"));
    int groups = Integer.parseInt(arg(args, "--groups", "200"));
    int runs = Integer.parseInt(arg(args, "--runs", "10"));
    int steps = Integer.parseInt(arg(args, "--steps", "20"));
    Store store = kind.equals("sqlite")
        ? SqliteStore.builder().file(Path.of(arg(args, "--file", "bench.db")))
            .synchronous(arg(args, "--synchronous", "FULL")).build()
        : PostgresStore.builder().url(arg(args, "--url", null)).writerThreads(threads).poolSize(threads + 2)
            .rewriteBatchedInserts(Boolean.parseBoolean(arg(args, "--rewrite", "true"))).build();
    store.migrate();
    store.putProject(new Project("default", "default", ContentPolicy.METADATA_ONLY, Instant.EPOCH));
    AtomicLong sequence = new AtomicLong();
    String prefix = "w" + System.nanoTime();
    for (int i = 0; i < 20; i++) store.write(List.of(group(prefix, sequence, runs, steps)));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long t0 = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(pool.submit(() -> {
        for (int g = 0; g < groups; g++) store.write(List.of(group(prefix, sequence, runs, steps)));
        return null;
      }));
    }
    for (Future<?> f : done) f.get();
    double seconds = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    store.close();
    System.out.printf("store=%s threads=%d rewrite=%s groups=%d runs/group=%d steps/run=%d: %.0f steps/s, %.1f ms/group%n",
        kind, threads, arg(args, "--rewrite", "true"), threads * groups, runs, steps,
        (double) threads * groups * runs * steps / seconds, seconds * 1000 * threads / (threads * groups));
  }

  private static WriteBatch group(String prefix, AtomicLong sequence, int runs, int steps) {
    List<RunRecord> rs = new ArrayList<>();
    List<StepRecord> ss = new ArrayList<>();
    long t = System.currentTimeMillis() * 1_000_000L;
    String[] types = {"plan", "llm", "tool", "retrieval", "llm"};
    for (int r = 0; r < runs; r++) {
      String runId = prefix + "-" + sequence.incrementAndGet();
      rs.add(RunRecord.builder(runId).agentId("load-agent").agentVersion("v1").environment("bench")
          .name("handle_ticket").labels(Map.of("team", "bench")).startNanos(t).endNanos(t + steps * 10_000_000L)
          .status(RunStatus.SUCCESS).build());
      for (int i = 0; i < steps; i++) {
        String type = types[i % types.length];
        boolean llm = type.equals("llm");
        ss.add(StepRecord.builder(runId, runId + "-" + i).parentStepId(i == 0 ? null : runId + "-0").seq(i + 1)
            .type(type).name(type + "_" + i).startNanos(t + i * 10_000_000L)
            .endNanos(t + i * 10_000_000L + 8_000_000L).status(StepStatus.OK).model(llm ? "gpt-4o-mini" : null)
            .provider(llm ? "openai" : null).inputTokens(llm ? 812L : null).outputTokens(llm ? 96L : null)
            .costUsd(llm ? 0.00018 : null).timeToFirstTokenMs(llm ? 212.5 : null).build());
      }
    }
    return new WriteBatch("default", rs, ss);
  }
}
