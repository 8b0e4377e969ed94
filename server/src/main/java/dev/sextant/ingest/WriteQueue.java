package dev.sextant.ingest;

import dev.sextant.store.TraceWriter;
import dev.sextant.store.StoreFullException;
import dev.sextant.store.WriteBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue in front of the store with group commit: writer threads take whatever is
 * waiting (up to {@code maxCommitItems}), write it in one transaction, then complete every
 * request's future. A request's future completes only after its items are committed.
 *
 * <p>The bound counts items (runs + steps), not requests, so heap use stays bounded whatever the
 * request sizes. A request that does not fit is refused whole with {@link Overloaded}.
 *
 * <p>A store whose commits can return before they are durable ({@link TraceWriter#syncsApart})
 * gets a sync thread: the writer hands it the requests of each commit and goes on to the next
 * commit while the sync thread waits for the disk, once for every commit handed to it so far, and
 * only then completes their futures.
 */
public final class WriteQueue implements AutoCloseable, BatchQueue {
  private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);

  private record Pending(WriteBatch batch, CompletableFuture<Void> done) {}

  /** Retry-After for a request refused because the store's disk is full: room takes a while to appear. */
  static final int FULL_RETRY_AFTER_SECONDS = 10;

  private final TraceWriter store;
  private final long capacityItems;
  private final int maxCommitItems;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queuedItems = new AtomicLong();
  private final List<Thread> writers = new ArrayList<>();
  /** Committed requests waiting for the disk, each commit's futures as one element; null without a sync thread. */
  private final LinkedBlockingQueue<List<CompletableFuture<Void>>> unsynced;
  private Thread syncer;
  private final Object drainLock = new Object();
  private final Timer commitTimer;
  private final Counter commitFailures;
  /** Null without a sync thread. */
  private final Timer syncTimer;
  private volatile boolean running = true;
  private volatile boolean writersDone;

  public WriteQueue(TraceWriter store, long capacityItems, int maxCommitItems, MeterRegistry metrics) {
    this.store = store;
    this.capacityItems = capacityItems;
    this.maxCommitItems = maxCommitItems;
    metrics.gauge("sextant_ingest_queue_items", queuedItems);
    this.commitTimer = Timer.builder("sextant_store_commit")
        .description("Time to write and commit one group of batches")
        .publishPercentileHistogram()
        .register(metrics);
    this.commitFailures = Counter.builder("sextant_store_commit_failures").register(metrics);
    this.unsynced = store.syncsApart() ? new LinkedBlockingQueue<>() : null;
    this.syncTimer = unsynced == null ? null : Timer.builder("sextant_store_sync")
        .description("Time to make the commits written so far durable, beside the next commit")
        .publishPercentileHistogram()
        .register(metrics);
  }

  /** Starts the writer threads. */
  public WriteQueue start() {
    for (int i = 0; i < Math.max(1, store.writerThreads()); i++) {
      Thread t = new Thread(this::writeLoop, "sextant-writer-" + i);
      t.setDaemon(true);
      t.start();
      writers.add(t);
    }
    if (unsynced != null) {
      syncer = new Thread(this::syncLoop, "sextant-sync");
      syncer.setDaemon(true);
      syncer.start();
    }
    return this;
  }

  /**
   * Queues one batch; the future completes when it is committed, or exceptionally with
   * {@link Overloaded} ({@code STORE_UNAVAILABLE}) when the store failed.
   *
   * @throws Overloaded ({@code QUEUE_FULL}) at once when the queue has no room for the batch,
   *     ({@code SHUTTING_DOWN}) when the queue no longer takes batches
   */
  @Override
  public CompletableFuture<Void> submit(WriteBatch batch) {
    int n = batch.size();
    long after = queuedItems.addAndGet(n);
    if (after > capacityItems && after != n) {
      queuedItems.addAndGet(-n);
      throw new Overloaded(Overloaded.Reason.QUEUE_FULL, 1,
          "the ingest queue is full (" + capacityItems + " items); retry after the Retry-After delay", null);
    }
    if (!running) {
      queuedItems.addAndGet(-n);
      throw Overloaded.shuttingDown();
    }
    try {
      store.prepare(batch);
    } catch (RuntimeException e) {
      // only work moved ahead: the write does it itself for a batch without it
      log.warn("could not prepare a batch ahead of its write; the write works it out", e);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new Pending(batch, done));
    return done;
  }

  public long queuedItems() {
    return queuedItems.get();
  }

  private void writeLoop() {
    List<Pending> group = new ArrayList<>();
    List<WriteBatch> batches = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        int items = 0;
        // Writers take requests only under this lock, so that the request a writer peeked at is
        // the one it polls; the commits themselves run in parallel.
        synchronized (drainLock) {
          Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) continue;
          group.add(first);
          items += first.batch().size();
          Pending next;
          while (items < maxCommitItems && (next = queue.peek()) != null
              && items + next.batch().size() <= maxCommitItems) {
            group.add(queue.poll());
            items += next.batch().size();
          }
        }
        for (Pending p : group) batches.add(p.batch());
        commit(group, batches, items);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        group.clear();
        batches.clear();
      }
    }
  }

  private void commit(List<Pending> group, List<WriteBatch> batches, int items) {
    long start = System.nanoTime();
    try {
      // the same as write() for a store that does not sync apart (TraceWriter's contract)
      store.writeUnsynced(batches);
      commitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      queuedItems.addAndGet(-items);
      if (unsynced == null) {
        for (Pending p : group) p.done().complete(null);
      } else {
        List<CompletableFuture<Void>> done = new ArrayList<>(group.size());
        for (Pending p : group) done.add(p.done());
        unsynced.add(done);
      }
    } catch (RuntimeException e) {
      commitFailures.increment();
      boolean full = e instanceof StoreFullException;
      if (group.size() > 1 && !full && reachable()) {
        // One request must not fail the others it happened to share a transaction with: commit
        // each alone, so only a request that cannot be written gets the error. (When the store
        // is down, one by one would only make the last request wait for every attempt.)
        log.warn("store write failed for {} requests together ({}); retrying them one by one", group.size(),
            e.toString());
        for (Pending p : group) commit(List.of(p), List.of(p.batch()), p.batch().size());
        return;
      }
      queuedItems.addAndGet(-items);
      log.warn("store write failed for {} items in {} requests: {}", items, group.size(), e.toString());
      Overloaded failure = storeFailure(e,
          "the store's disk is full; nothing of this request was stored. Ingest resumes by itself once there is"
              + " room: free disk space, or shorten retention; retry after Retry-After seconds",
          "the store could not commit the request; nothing of it was stored, retry later (the reason is in the"
              + " server log)");
      for (Pending p : group) p.done().completeExceptionally(failure);
    }
  }

  /** Waits for the disk once for all the commits handed over since the last wait, then answers their requests. */
  private void syncLoop() {
    List<List<CompletableFuture<Void>>> commits = new ArrayList<>();
    while (!writersDone || !unsynced.isEmpty()) {
      try {
        List<CompletableFuture<Void>> first = unsynced.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        commits.add(first);
        unsynced.drainTo(commits);
        sync(commits);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        commits.clear();
      }
    }
  }

  private void sync(List<List<CompletableFuture<Void>>> commits) {
    long start = System.nanoTime();
    try {
      store.sync();
      syncTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      for (List<CompletableFuture<Void>> commit : commits) {
        for (CompletableFuture<Void> done : commit) done.complete(null);
      }
    } catch (RuntimeException e) {
      commitFailures.increment();
      int requests = commits.stream().mapToInt(List::size).sum();
      log.warn("store sync failed for {} committed requests: {}", requests, e.toString());
      // Committed but perhaps not on disk: the request is not acknowledged, and a retry stores
      // nothing twice (writes are idempotent).
      String what = "the request was committed but could not be made durable; retry it, a retry stores nothing"
          + " twice";
      Overloaded failure = storeFailure(e, "the store's disk is full: " + what + " (after Retry-After seconds)",
          what + " (the reason is in the server log)");
      for (List<CompletableFuture<Void>> commit : commits) {
        for (CompletableFuture<Void> done : commit) done.completeExceptionally(failure);
      }
    }
  }

  /** What a failed commit or sync answers: a full disk {@code STORE_FULL}, anything else {@code STORE_UNAVAILABLE}. */
  private static Overloaded storeFailure(RuntimeException e, String whenFull, String otherwise) {
    return e instanceof StoreFullException
        ? new Overloaded(Overloaded.Reason.STORE_FULL, FULL_RETRY_AFTER_SECONDS, whenFull, e)
        : new Overloaded(Overloaded.Reason.STORE_UNAVAILABLE, 2, otherwise, e);
  }

  private boolean reachable() {
    try {
      store.check();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Stops taking requests, writes what is queued, then stops the writers. */
  @Override
  public void close() {
    running = false;
    try {
      for (Thread t : writers) t.join(TimeUnit.SECONDS.toMillis(30));
      writersDone = true;
      if (syncer != null) syncer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
