package dev.sextant.store.postgres;

import static dev.sextant.store.Records.batch;
import static dev.sextant.store.Records.llm;
import static dev.sextant.store.Records.run;
import static dev.sextant.store.Records.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.model.ContentPolicy;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.store.Project;
import dev.sextant.store.RunDetail;
import dev.sextant.store.RunQuery;
import dev.sextant.store.Stats;
import dev.sextant.store.Store;
import dev.sextant.store.WriteBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What only a store shared by several writers has to get right: several stores (as several nodes
 * would open) on one schema, migrating at once and writing the same runs concurrently.
 */
class ITPostgresConcurrentWrites {
  private static final String P = "default";
  private final List<Store> stores = new ArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void close() {
    pool.shutdownNow();
    stores.forEach(Store::close);
  }

  private Store open(String url) {
    Store s = PostgresStore.builder().url(url).poolSize(6).writerThreads(4).build();
    stores.add(s);
    return s;
  }

  @Test
  void concurrentWritersOnTheSameRuns_convergeToTheSequentialResult() throws Exception {
    String url = TestPostgres.shared().freshSchemaUrl();
    List<Store> nodes = List.of(open(url), open(url), open(url));
    List<Future<?>> migrations = new ArrayList<>();
    for (Store s : nodes) migrations.add(pool.submit(s::migrate));
    for (Future<?> f : migrations) f.get(30, TimeUnit.SECONDS);
    nodes.get(0).putProject(new Project(P, P, ContentPolicy.METADATA_ONLY, Instant.EPOCH));

    List<Object> items = items(20, 25);
    Random random = new Random(42);
    List<Object> sent = new ArrayList<>(items);
    for (int i = 0; i < items.size() / 5; i++) sent.add(items.get(random.nextInt(items.size())));
    Collections.shuffle(sent, random);

    // groups of up to 4 batches spanning many runs, each written by some node on some thread:
    // without one lock order these deadlock, without locks the run totals miss steps
    List<Future<?>> writes = new ArrayList<>();
    AtomicInteger failures = new AtomicInteger();
    for (int i = 0; i < sent.size(); ) {
      List<WriteBatch> group = new ArrayList<>();
      int batches = 1 + random.nextInt(4);
      for (int b = 0; b < batches && i < sent.size(); b++) {
        int n = 1 + random.nextInt(12);
        List<Object> part = sent.subList(i, Math.min(sent.size(), i + n));
        i += part.size();
        group.add(toBatch(part));
      }
      Store node = nodes.get(random.nextInt(nodes.size()));
      writes.add(pool.submit(() -> {
        try {
          node.write(group);
        } catch (RuntimeException e) {
          failures.incrementAndGet();
          throw e;
        }
      }));
    }
    for (Future<?> f : writes) f.get(60, TimeUnit.SECONDS);
    assertThat(failures).hasValue(0);

    Store reference = open(TestPostgres.shared().freshSchemaUrl());
    reference.migrate();
    reference.putProject(new Project(P, P, ContentPolicy.METADATA_ONLY, Instant.EPOCH));
    reference.write(List.of(toBatch(items)));

    assertThat(nodes.get(1).listRuns(P, RunQuery.all()).runs()).hasSize(20);
    for (int r = 0; r < 20; r++) {
      RunDetail expected = reference.getRun(P, "run-" + r).orElseThrow();
      for (Store node : nodes) assertThat(node.getRun(P, "run-" + r)).contains(expected);
      assertThat(expected.run().stepCount()).isEqualTo(25);
      assertThat(expected.run().status()).isEqualTo("success");
      assertThat(expected.run().inputTokens()).isEqualTo(25 * 10);
    }
    Stats converged = nodes.get(2).stats(P, RunQuery.all());
    Stats sequential = reference.stats(P, RunQuery.all());
    // a cost total is a sum of doubles whose order depends on which writer came first
    assertThat(converged.costUsd()).isCloseTo(sequential.costUsd(), within(1e-9));
    assertThat(converged).usingRecursiveComparison().ignoringFields("costUsd").isEqualTo(sequential);
  }

  @Test
  void exclusively_runsOneNodeAtATime() throws Exception {
    String url = TestPostgres.shared().freshSchemaUrl();
    List<Store> nodes = List.of(open(url), open(url), open(url));
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Future<?>> runs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Store node = nodes.get(i % 3);
      runs.add(pool.submit(() -> node.exclusively("bootstrap", () -> {
        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
        sleep(50);
        inside.decrementAndGet();
      })));
    }
    for (Future<?> f : runs) f.get(30, TimeUnit.SECONDS);
    assertThat(most).hasValue(1);
  }

  @Test
  void nulCharacters_areStoredAsReplacementCharacters() {
    Store store = open(TestPostgres.shared().freshSchemaUrl());
    store.migrate();
    RunRecord r = run("r\u00001", "agent\u0000x", "v1", 0, 10.0, RunStatus.SUCCESS);
    store.write(List.of(batch(P, List.of(r), List.of())));
    RunDetail d = store.getRun(P, "r\u00001").orElseThrow();
    assertThat(d.run().runId()).isEqualTo("r\uFFFD1");
    assertThat(d.run().agentId()).isEqualTo("agent\uFFFDx");
  }

  /** {@code runs} runs of {@code steps} LLM steps each, with a start and an end record per run. */
  private static List<Object> items(int runs, int steps) {
    List<Object> items = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      String id = "run-" + r;
      items.add(run(id, "agent", "v1", r * 1000, null, RunStatus.RUNNING));
      items.add(run(id, "agent", "v1", r * 1000, r * 1000 + 900.0, RunStatus.SUCCESS));
      for (int s = 0; s < steps; s++) {
        items.add(llm(step(id, "s" + s, s + 1, "llm", r * 1000 + s * 30, r * 1000 + s * 30 + 25, StepStatus.OK),
            "m", 10, 2, 0.001));
      }
    }
    return items;
  }

  private static WriteBatch toBatch(List<Object> items) {
    List<RunRecord> runs = new ArrayList<>();
    List<StepRecord> steps = new ArrayList<>();
    for (Object o : items) {
      if (o instanceof RunRecord) runs.add((RunRecord) o);
      else steps.add((StepRecord) o);
    }
    return batch(P, runs, steps);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
