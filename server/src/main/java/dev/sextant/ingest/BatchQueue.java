package dev.sextant.ingest;

import dev.sextant.store.WriteBatch;
import java.util.concurrent.CompletableFuture;

/** Where the pipeline hands accepted records: the {@link WriteQueue}, in a server. */
@FunctionalInterface
public interface BatchQueue {
  /**
   * Queues {@code batch}; the future completes when it is committed.
   *
   * @throws Overloaded when the batch does not fit (it is refused whole)
   */
  CompletableFuture<Void> submit(WriteBatch batch);
}
