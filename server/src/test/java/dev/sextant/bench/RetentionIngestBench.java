package dev.sextant.bench;

import static dev.sextant.bench.BenchArgs.arg;

import dev.sextant.model.ContentPolicy;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.server.RetentionWorker;
import dev.sextant.store.Project;
import dev.sextant.store.Retention;
import dev.sextant.store.Store;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.postgres.PostgresStore;
import dev.sextant.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingest latency while retention deletes, against the same store in the same run: fills
 * {@code --old} runs of {@code --steps} steps 20 to 10 days old, sets the project's raw retention to
 * 5 days, then times writes of {@code --group} new runs (as the write queue commits them, one every
 * {@code --pause-ms}) three times: before deletion, while the server's own {@link RetentionWorker}
 * deletes every old run (in batches of about 5 ms, as in production), and after it. Prints
 * p50/p95/p99/max of each phase and the ratio of the p99s.
 *
 * <pre>
 * java -cp server/target/test-classes:server/target/classes:$(cat cp.txt) dev.sextant.server.RetentionIngestBench \
 *   --store sqlite --file /tmp/retention.db --old 30000 --steps 20
 * </pre>
 */
public final class RetentionIngestBench {
  private static final long DAY = 86_400_000_000_000L;

  public static void main(String[] args) throws Exception {
    String kind = arg(args, "--store", "sqlite");
    int old = Integer.parseInt(arg(args, "--old", "30000"));
    int steps = Integer.parseInt(arg(args, "--steps", "20"));
    int group = Integer.parseInt(arg(args, "--group", "10"));
    int writes = Integer.parseInt(arg(args, "--writes", "400"));
    long pauseMs = Long.parseLong(arg(args, "--pause-ms", "20"));
    long now = System.currentTimeMillis() * 1_000_000L;
    AtomicLong sequence = new AtomicLong();

    try (Store fill = open(kind, args, "NORMAL")) {
      fill.migrate();
      fill.putProject(new Project("default", "default", ContentPolicy.METADATA_ONLY, Instant.EPOCH));
      long t0 = System.nanoTime();
      for (int i = 0; i < old; i += 100) {
        fill.write(List.of(group(sequence, Math.min(100, old - i), steps, now - 20 * DAY + i * (10 * DAY / old))));
      }
      System.out.printf("filled %d old runs, %d steps in %.0f s%n", old, (long) old * steps,
          (System.nanoTime() - t0) / 1e9);
    }
    try (Store store = open(kind, args, "FULL")) {
      store.putProject(new Project("default", "default", ContentPolicy.METADATA_ONLY, Instant.EPOCH,
          new Retention(5, 0)));
      for (int i = 0; i < 50; i++) store.write(List.of(group(sequence, group, steps, Times.now())));
      report("without deletion", time(store, sequence, group, steps, writes, pauseMs, null));

      RetentionWorker worker = new RetentionWorker(store, new Retention(0, 0), Clock.systemUTC(), 500,
          Duration.ofMillis(20));
      long t0 = System.nanoTime();
      Thread deleting = new Thread(worker::pass, "retention-pass");
      deleting.start();
      long[] during = time(store, sequence, group, steps, Integer.MAX_VALUE, pauseMs, deleting);
      deleting.join();
      System.out.printf("deletion of %d runs took %.1f s%n", old, (System.nanoTime() - t0) / 1e9);
      report("while deleting", during);
      report("after deletion", time(store, sequence, group, steps, writes, pauseMs, null));
    }
  }

  /** Latencies of writes one after the other, {@code count} of them or as long as {@code while_} lives. */
  private static long[] time(Store store, AtomicLong sequence, int group, int steps, int count, long pauseMs,
      Thread while_) throws InterruptedException {
    List<Long> ns = new ArrayList<>();
    while (ns.size() < count && (while_ == null || while_.isAlive())) {
      WriteBatch batch = group(sequence, group, steps, Times.now());
      long t0 = System.nanoTime();
      store.write(List.of(batch));
      ns.add(System.nanoTime() - t0);
      Thread.sleep(pauseMs);
    }
    return ns.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  private static void report(String phase, long[] ns) {
    if (ns.length == 0) {
      System.out.printf("%-18s no writes%n", phase);
      return;
    }
    System.out.printf("%-18s %5d writes  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n", phase, ns.length,
        at(ns, 0.50), at(ns, 0.95), at(ns, 0.99), ns[ns.length - 1] / 1e6);
  }

  private static double at(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  /** {@code runs} runs of {@code steps} 40 ms steps each, starting one after the other from {@code start}. */
  private static WriteBatch group(AtomicLong sequence, int runs, int steps, long start) {
    List<RunRecord> rs = new ArrayList<>();
    List<StepRecord> ss = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      String id = "run-" + sequence.incrementAndGet();
      long t = start + r * 1_000_000L;
      for (int s = 0; s < steps; s++) {
        boolean llm = s % 2 == 1;
        ss.add(StepRecord.builder(id, id + "-" + s).parentStepId(s == 0 ? null : id + "-0").seq(s + 1)
            .type(llm ? "llm" : "tool").name(llm ? "answer" : "lookup").startNanos(t + s * 40_000_000L)
            .endNanos(t + (s + 1) * 40_000_000L).status(StepStatus.OK).model(llm ? "gpt-4o-mini" : null)
            .provider(llm ? "openai" : null).inputTokens(llm ? 812L : null).outputTokens(llm ? 96L : null)
            .costUsd(llm ? 0.00018 : null).build());
      }
      rs.add(RunRecord.builder(id).agentId("support-agent").agentVersion("v1").environment("production")
          .name("handle_ticket").labels(Map.of()).startNanos(t).endNanos(t + steps * 40_000_000L)
          .status(RunStatus.SUCCESS).build());
    }
    return new WriteBatch("default", rs, ss);
  }

  private static Store open(String kind, String[] args, String synchronous) {
    return kind.equals("sqlite")
        ? SqliteStore.builder().file(Path.of(arg(args, "--file", "retention.db"))).synchronous(synchronous).build()
        : PostgresStore.builder().url(arg(args, "--url", null)).build();
  }

  private static final class Times {
    static long now() {
      return System.currentTimeMillis() * 1_000_000L;
    }
  }
}
