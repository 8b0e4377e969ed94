package dev.sextant.store.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** Where {@link SqlStore} gets its JDBC connections: a pool, or SQLite's one writer plus readers. */
public interface Connections extends AutoCloseable {

  /** Runs {@code work} on a connection in one transaction, committed and durable when it returns. */
  <T> T inTransaction(SqlWork<T> work);

  /**
   * Runs {@code work} in one transaction as {@link #inTransaction} does, but may return once the
   * transaction is committed and before it is durable; it is durable once a later {@link #sync}
   * returns. Where commits wait for the disk anyway, this is {@link #inTransaction}.
   */
  default <T> T inTransactionUnsynced(SqlWork<T> work) {
    return inTransaction(work);
  }

  /** Whether {@link #inTransactionUnsynced} returns before its commit is durable, leaving that to {@link #sync}. */
  default boolean syncsApart() {
    return false;
  }

  /**
   * Makes every transaction committed before this call durable; may run beside a transaction.
   *
   * @throws dev.sextant.store.StoreException when it cannot
   */
  default void sync() {}

  /** Runs {@code work} on a read-only connection (auto-commit). */
  <T> T read(SqlWork<T> work);

  @Override
  void close();

  @FunctionalInterface
  interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }
}
