package dev.sextant.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.RunRecord;
import dev.sextant.store.Store;
import dev.sextant.store.StoreException;
import dev.sextant.store.WriteBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
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

  private Store store() {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (p, m, args) -> {
      switch (m.getName()) {
        case "writerThreads": return 1;
        case "check":
          if (down) throw new StoreException("connection refused");
          return null;
        case "write":
          writes.incrementAndGet();
          writing.countDown();
          release.await(10, TimeUnit.SECONDS);
          if (fail) throw new StoreException("disk full");
          @SuppressWarnings("unchecked")
          List<WriteBatch> all = (List<WriteBatch>) args[0];
          if (all.stream().anyMatch(b -> b.projectId().equals("poison"))) throw new StoreException("constraint failed");
          @SuppressWarnings("unchecked")
          List<WriteBatch> batches = (List<WriteBatch>) args[0];
          groups.add(batches.size());
          return null;
        default: throw new UnsupportedOperationException(m.getName());
      }
    });
  }

  private static WriteBatch batch(int runs) {
    List<RunRecord> r = new java.util.ArrayList<>();
    for (int i = 0; i < runs; i++) r.add(RunRecord.builder("r" + i).build());
    return new WriteBatch("p", r, List.of());
  }

  @Test
  void severalWriters_completeEveryRequest() throws Exception {
    java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
    Store store = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
        (p, m, args) -> {
          switch (m.getName()) {
            case "writerThreads": return 8;
            case "write":
              @SuppressWarnings("unchecked")
              List<WriteBatch> batches = (List<WriteBatch>) args[0];
              for (WriteBatch b : batches) written.addAndGet(b.size());
              return null;
            default: throw new UnsupportedOperationException(m.getName());
          }
        });
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
