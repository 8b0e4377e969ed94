package dev.sextant.store;

/**
 * The storage SPI. Every backend implements it and passes the shared conformance suite
 * ({@code StoreConformanceTest}). Backends know nothing of HTTP or wire protocols.
 *
 * <p>It is the sum of narrow interfaces, and each part of the server depends on the ones it uses:
 * the write queue on {@link TraceWriter}, queries on {@link TraceReader}, retention on
 * {@link RetentionStore}, authentication and team access on {@link Accounts}, and so on.
 */
public interface Store extends TraceWriter, TraceReader, RetentionStore, ScoreStore, Accounts, AuditStore,
    ModelPriceStore, AlertStore, AutoCloseable {

  /** Creates or upgrades the schema. Safe to call from several processes at once. */
  void migrate();

  /**
   * Runs {@code work} while no other node sharing this store runs work of the same {@code name}:
   * for what must happen once however many nodes start (bootstrap; later retention, alerts). A
   * store only one process can open needs nothing more than a lock in this process.
   */
  default void exclusively(String name, Runnable work) {
    synchronized (this) {
      work.run();
    }
  }

  @Override
  void close();
}
