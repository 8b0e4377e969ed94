package dev.sextant.store;

import java.util.List;

/**
 * Writing runs and steps: what the write queue needs. Writes are idempotent and order-free: records
 * of the same run or step are merged field by field whatever order they arrive in, and replaying a
 * batch changes nothing.
 */
public interface TraceWriter {
  /**
   * Throws {@link StoreException} when the store cannot serve requests; backs {@code /health/ready}.
   * A writer that cannot tell is taken to be up.
   */
  default void check() {}

  /**
   * Works out, on the caller's thread, what a write of the batch will need of it and keeps it in
   * the batch ({@link WriteBatch#prepared}): a store has few writers and many callers. Called
   * before the batch is queued; the write does the same work itself for a batch without it.
   */
  default void prepare(WriteBatch batch) {}

  /** Writes all batches in one transaction: all of them are durable when this returns, or none. */
  void write(List<WriteBatch> batches);

  /**
   * Whether {@link #writeUnsynced} returns before its transaction is durable, so that a caller can
   * wait for the disk ({@link #sync}) while the next transaction is written.
   */
  default boolean syncsApart() {
    return false;
  }

  /**
   * Writes all batches in one transaction, as {@link #write} does, but may return once it is
   * committed and before it is durable: it is durable once a {@link #sync} that began after this
   * returned has returned. Where commits wait for the disk anyway, this is {@link #write}.
   */
  default void writeUnsynced(List<WriteBatch> batches) {
    write(batches);
  }

  /**
   * Makes every write that returned before this call durable; may run beside a write.
   *
   * @throws StoreException when it cannot ({@link StoreFullException} when the disk is full)
   */
  default void sync() {}

  /** How many writer threads this backend can use with benefit (SQLite: one). */
  default int writerThreads() {
    return 1;
  }
}
