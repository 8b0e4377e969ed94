package dev.sextant.store.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** Where {@link SqlStore} gets its JDBC connections: a pool, or SQLite's one writer plus readers. */
public interface Connections extends AutoCloseable {

  /** Runs {@code work} on a connection in one transaction, committed when it returns. */
  <T> T inTransaction(SqlWork<T> work);

  /** Runs {@code work} on a read-only connection (auto-commit). */
  <T> T read(SqlWork<T> work);

  @Override
  void close();

  @FunctionalInterface
  interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }
}
