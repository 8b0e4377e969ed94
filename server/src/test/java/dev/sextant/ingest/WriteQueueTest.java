package dev.sextant.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.RunRecord;
import dev.sextant.store.TraceWriter;
import dev.sextant.store.StoreException;
import dev.sextant.store.WriteBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The queue in isolation, in front of a store whose writes the test controls. */
class WriteQueueTest {
  private final List<Integer> groups = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch writing = new CountDownLatch(1);
  private volatile boolean fail;
  private volatile boolean down;
  private final java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();

  /** A writer whose writes wait for {@link #release}, then fail or record the group's size. */
  private TraceWriter store() {
    return new TraceWriter() {
      @Override
      public void check() {
        if (down) throw new StoreException("connection refused");
      }

      @Override
      public void write(List<WriteBatch> batches) {
        writes.incrementAndGet();
        writing.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (fail) throw new StoreException("disk full");
        if (batches.stream().anyMatch(b -> b.projectId().equals("poison"))) throw new StoreException("constraint failed");
        groups.add(batches.size());
      }
    };
  }

  private static WriteBatch batch(int runs) {
    List<RunRecord> r = new java.util.ArrayList<>();
    for (int i = 0; i < runs; i++) r.add(RunRecord.builder("r" + i).build());
    return new WriteBatch("p", r, List.of());
  }

  @Test
  void severalWriters_completeEveryRequest() throws Exception {
    java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
    TraceWriter store = new TraceWriter() {
      @Override
      public void write(List<WriteBatch> batches) {
        for (WriteBatch b : batches) written.addAndGet(b.size());
      }

      @Override
      public int writerThreads() {
        return 8;
      }
    };
    WriteQueue q = new WriteQueue(store, 1_000_000, 50, new SimpleMeterRegistry()).start();
    List<CompletableFuture<Void>> all = new java.util.ArrayList<>();
    long expected = 0;
    for (int i = 0; i < 20_000; i++) {
      all.add(q.submit(batch(1 + i % 7)));
      expected += 1 + i % 7;
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    assertThat(written).hasValue(expected);
    assertThat(q.queuedItems()).isZero();
    q.close();
  }

  @Test
  void waitingRequests_shareOneCommit() throws Exception {
    WriteQueue q = new WriteQueue(store(), 1000, 1000, new SimpleMeterRegistry()).start();
    CompletableFuture<Void> first = q.submit(batch(1));
    writing.await(5, TimeUnit.SECONDS);
    List<CompletableFuture<Void>> rest = List.of(q.submit(batch(2)), q.submit(batch(3)), q.submit(batch(4)));
    assertThat(first).isNotDone();
    assertThat(q.queuedItems()).isEqualTo(10);
    release.countDown();
    CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    assertThat(groups).containsExactly(1, 3);
    assertThat(q.queuedItems()).isZero();
    q.close();
  }

  @Test
  void full_refusesWholeRequestsWith429() throws Exception {
    WriteQueue q = new WriteQueue(store(), 10, 1000, new SimpleMeterRegistry()).start();
    q.submit(batch(6));
    writing.await(5, TimeUnit.SECONDS);
    q.submit(batch(4));
    assertThatThrownBy(() -> q.submit(batch(1)))
        .isInstanceOfSatisfying(Overloaded.class, e -> {
          assertThat(e.reason()).isEqualTo(Overloaded.Reason.QUEUE_FULL);
          assertThat(e.retryAfterSeconds()).isEqualTo(1);
        });
    assertThat(q.queuedItems()).isEqualTo(10);
    release.countDown();
    q.close();
  }

  @Test
  void oneBadRequest_doesNotFailTheOthersInItsGroup() throws Exception {
    WriteQueue q = new WriteQueue(store(), 1000, 1000, new SimpleMeterRegistry()).start();
    CompletableFuture<Void> first = q.submit(batch(1));
    writing.await(5, TimeUnit.SECONDS);
    CompletableFuture<Void> good = q.submit(batch(2));
    CompletableFuture<Void> bad =
        q.submit(new WriteBatch("poison", List.of(RunRecord.builder("x").build()), List.of()));
    CompletableFuture<Void> alsoGood = q.submit(batch(3));
    release.countDown();
    first.get(5, TimeUnit.SECONDS);
    good.get(5, TimeUnit.SECONDS);
    alsoGood.get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(Overloaded.class);
    assertThat(groups).containsExactly(1, 1, 1);
    assertThat(q.queuedItems()).isZero();
    q.close();
  }

  @Test
  void storeDown_failsTheWholeGroupAtOnce() throws Exception {
    WriteQueue q = new WriteQueue(store(), 1000, 1000, new SimpleMeterRegistry()).start();
    CompletableFuture<Void> first = q.submit(batch(1));
    writing.await(5, TimeUnit.SECONDS);
    List<CompletableFuture<Void>> group = List.of(q.submit(batch(2)), q.submit(batch(3)), q.submit(batch(4)));
    fail = true;
    down = true;
    release.countDown();
    for (CompletableFuture<Void> f : group) {
      assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).cause()
          .isInstanceOfSatisfying(Overloaded.class,
              e -> assertThat(e.reason()).isEqualTo(Overloaded.Reason.STORE_UNAVAILABLE));
    }
    assertThat(first).isCompletedExceptionally();
    assertThat(writes).hasValue(2);
    assertThat(q.queuedItems()).isZero();
    q.close();
  }

  @Test
  void storeFailure_failsTheGroupWith503() throws Exception {
    fail = true;
    WriteQueue q = new WriteQueue(store(), 100, 100, new SimpleMeterRegistry()).start();
    CompletableFuture<Void> f = q.submit(batch(2));
    release.countDown();
    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(Overloaded.class,
            e -> assertThat(e.reason()).isEqualTo(Overloaded.Reason.STORE_UNAVAILABLE));
    assertThat(q.queuedItems()).isZero();
    q.close();
  }
}
