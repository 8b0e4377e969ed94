package dev.sextant.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.RunRecord;
import dev.sextant.store.StoreException;
import dev.sextant.store.StoreFullException;
import dev.sextant.store.TraceWriter;
import dev.sextant.store.WriteBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The queue in front of a store whose commits return before they are durable: a request is
 * answered only after a sync that began after its commit, the writer commits on while a sync
 * waits, and a failed sync refuses the requests it was to make durable.
 */
class WriteQueueSyncTest {
  /** Batches committed so far, in commit order. */
  private final List<WriteBatch> committed = new CopyOnWriteArrayList<>();
  /** For each sync, how many batches had been committed when it began. */
  private final List<Integer> syncs = new CopyOnWriteArrayList<>();
  /** Each sync takes one permit before it returns. */
  private final Semaphore syncPermits = new Semaphore(0);
  private final CountDownLatch syncing = new CountDownLatch(1);
  private final AtomicReference<RuntimeException> syncFailure = new AtomicReference<>();
  private final AtomicInteger durableWrites = new AtomicInteger();

  private final TraceWriter store = new TraceWriter() {
    @Override
    public void write(List<WriteBatch> batches) {
      durableWrites.incrementAndGet();
    }

    @Override
    public boolean syncsApart() {
      return true;
    }

    @Override
    public void writeUnsynced(List<WriteBatch> batches) {
      committed.addAll(batches);
    }

    @Override
    public void sync() {
      syncs.add(committed.size());
      syncing.countDown();
      try {
        if (!syncPermits.tryAcquire(10, TimeUnit.SECONDS)) throw new StoreException("the test never let the sync end");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      RuntimeException failure = syncFailure.getAndSet(null);
      if (failure != null) throw failure;
    }
  };

  private static WriteBatch batch(String runId) {
    return new WriteBatch("p", List.of(RunRecord.builder(runId).build()), List.of());
  }

  private void awaitCommitted(int batches) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (committed.size() < batches && System.nanoTime() < deadline) Thread.sleep(2);
    assertThat(committed).hasSize(batches);
  }

  @Test
  void requests_areAnsweredAfterASyncThatBeganAfterTheirCommit_andTheWriterGoesOnMeanwhile() throws Exception {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    WriteQueue q = new WriteQueue(store, 1000, 1000, metrics).start();
    CompletableFuture<Void> first = q.submit(batch("a"));
    assertThat(syncing.await(5, TimeUnit.SECONDS)).isTrue();
    // the first sync waits for the disk; the writer commits the next requests meanwhile
    CompletableFuture<Void> second = q.submit(batch("b"));
    CompletableFuture<Void> third = q.submit(batch("c"));
    awaitCommitted(3);
    assertThat(q.queuedItems()).isZero();
    Thread.sleep(50);
    assertThat(List.of(first, second, third)).noneMatch(CompletableFuture::isDone);

    syncPermits.release();
    first.get(5, TimeUnit.SECONDS);
    Thread.sleep(50);
    // the first sync began before they were committed, so it does not answer them
    assertThat(second).isNotDone();
    assertThat(third).isNotDone();

    syncPermits.release();
    CompletableFuture.allOf(second, third).get(5, TimeUnit.SECONDS);
    // one sync for both commits that waited, each sync counting every commit before it began
    assertThat(syncs).containsExactly(1, 3);
    assertThat(durableWrites).hasValue(0);
    assertThat(metrics.get("sextant_store_sync").timer().count()).isEqualTo(2);
    q.close();
  }

  @Test
  void aStoreWhoseCommitsAreDurable_isAnsweredAfterItsWrite_withoutASyncMetric() throws Exception {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    TraceWriter durable = batches -> durableWrites.incrementAndGet();
    WriteQueue q = new WriteQueue(durable, 1000, 1000, metrics).start();
    q.submit(batch("a")).get(5, TimeUnit.SECONDS);
    assertThat(durableWrites).hasValue(1);
    assertThat(metrics.find("sextant_store_sync").timer()).isNull();
    q.close();
  }

  @Test
  void failedSync_refusesTheRequestsItCovered_with503_andLaterRequestsAreAnswered() throws Exception {
    WriteQueue q = new WriteQueue(store, 1000, 1000, new SimpleMeterRegistry()).start();
    syncFailure.set(new StoreException("fsync: input/output error"));
    CompletableFuture<Void> lost = q.submit(batch("a"));
    syncPermits.release();
    assertThatThrownBy(() -> lost.get(5, TimeUnit.SECONDS)).cause()
        .isInstanceOfSatisfying(Overloaded.class, e -> {
          assertThat(e.reason()).isEqualTo(Overloaded.Reason.STORE_UNAVAILABLE);
          assertThat(e.getMessage()).contains("could not be made durable", "a retry stores nothing twice");
        });

    CompletableFuture<Void> next = q.submit(batch("b"));
    syncPermits.release();
    next.get(5, TimeUnit.SECONDS);
    q.close();
  }

  @Test
  void syncOnAFullDisk_refusesAsStoreFull() throws Exception {
    WriteQueue q = new WriteQueue(store, 1000, 1000, new SimpleMeterRegistry()).start();
    syncFailure.set(new StoreFullException("No space left on device", null));
    CompletableFuture<Void> f = q.submit(batch("a"));
    syncPermits.release();
    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).cause()
        .isInstanceOfSatisfying(Overloaded.class, e -> {
          assertThat(e.reason()).isEqualTo(Overloaded.Reason.STORE_FULL);
          assertThat(e.retryAfterSeconds()).isEqualTo(WriteQueue.FULL_RETRY_AFTER_SECONDS);
        });
    q.close();
  }

  @Test
  void close_answersWhatWasCommittedBeforeItStops() throws Exception {
    WriteQueue q = new WriteQueue(store, 1000, 1000, new SimpleMeterRegistry()).start();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) all.add(q.submit(batch("r" + i)));
    syncPermits.release(20);
    q.close();
    assertThat(all).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(committed).hasSize(20);
  }
}
