package dev.sextant.server;

import dev.sextant.store.Project;
import dev.sextant.store.Retention;
import dev.sextant.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what each project's retention lets go, in the background: raw runs older than its raw
 * retention, rollup buckets older than its rollup retention, minute buckets older than two days.
 * Small batches, each its own transaction, sized so that one takes about {@link #BATCH_TARGET_NS}
 * (a write waits for at most one), with a pause after each of at least twice what it took (deletion
 * takes at most a third of the writer's time, however slow the machine). A pass runs on one node at
 * a time ({@link Store#exclusively}). Nothing is remembered between passes: after a restart the
 * next pass deletes whatever is still expired.
 */
public final class RetentionWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RetentionWorker.class);
  private static final long DAY_NS = 86_400_000_000_000L;
  /** Two days of minute buckets are read; one more hour is kept so a query never meets a gap. */
  private static final long MINUTES_KEPT_NS = 49 * 3_600_000_000_000L;
  /** How long one batch of runs should hold the store's writer. */
  static final long BATCH_TARGET_NS = 5_000_000L;
  private static final int MIN_BATCH = 10;

  private final Store store;
  private final Retention defaults;
  private final Clock clock;
  private final int batch;
  /** Runs per batch now: halved after a batch slower than the target, doubled after a fast one. */
  private int size;
  private final Duration pause;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sextant-retention");
    t.setDaemon(true);
    return t;
  });

  public RetentionWorker(Store store, Retention defaults, Clock clock, int batch, Duration pause) {
    this.store = store;
    this.defaults = defaults;
    this.clock = clock;
    this.batch = batch;
    this.size = Math.min(batch, 50);
    this.pause = pause;
  }

  /** Runs a pass now and then every {@code every}. */
  RetentionWorker start(Duration every) {
    executor.scheduleWithFixedDelay(this::passSafely, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void passSafely() {
    try {
      store.exclusively("retention", this::pass);
    } catch (RuntimeException e) {
      log.warn("Retention pass failed; the next one goes on: {}", e.toString());
    }
  }

  /** One pass over every project; returns when nothing expired is left. */
  public void pass() {
    long now = clock.millis() * 1_000_000L;
    for (Project p : store.projects()) {
      Retention r = p.retention().orElse(defaults);
      long deleted = 0;
      if (r.rawDays() > 0) {
        int n;
        int asked;
        do {
          asked = size;
          long t0 = System.nanoTime();
          n = store.expireRuns(p.projectId(), now - r.rawDays() * DAY_NS, asked);
          deleted += n;
          if (n > 0) {
            store.reclaimSpace(); // a batch's pages go back to the file system as they are freed
            long took = System.nanoTime() - t0;
            if (took > BATCH_TARGET_NS) size = Math.max(MIN_BATCH, size / 2);
            else if (took < BATCH_TARGET_NS / 2) size = Math.min(batch, size * 2);
            rest(took);
          }
        } while (n == asked);
      }
      long rollupBefore = r.rollupDays() > 0 ? now - r.rollupDays() * DAY_NS : Long.MIN_VALUE;
      int n;
      do {
        long t0 = System.nanoTime();
        n = store.expireRollups(p.projectId(), rollupBefore, now - MINUTES_KEPT_NS, batch);
        if (n > 0) rest(System.nanoTime() - t0);
      } while (n > 0);
      if (deleted > 0) log.info("Retention: deleted {} runs of project {}", deleted, p.projectId());
    }
    store.reclaimSpace();
  }

  private void rest(long tookNs) {
    try {
      Thread.sleep(Math.max(pause.toMillis(), 2 * tookNs / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
