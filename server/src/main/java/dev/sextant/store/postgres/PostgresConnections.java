package dev.sextant.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sextant.store.StoreException;
import dev.sextant.store.StoreFullException;
import dev.sextant.store.sql.Connections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A HikariCP pool over pgjdbc. The pool is created on first use, so building a store does no I/O.
 *
 * <p>While PostgreSQL is down, borrowing fails after {@code connectionTimeout} (short on purpose:
 * {@code /health/ready} and ingest must answer 503 quickly rather than hang), and Hikari opens new
 * connections by itself once the database is back, so a node recovers without a restart.
 */
final class PostgresConnections implements Connections {
  private static final Logger log = LoggerFactory.getLogger(PostgresConnections.class);
  /** Attempts of one transaction that PostgreSQL aborted as a deadlock or serialization failure. */
  private static final int ATTEMPTS = 4;

  private final PostgresUrl url;
  private final int poolSize;
  private final Duration connectionTimeout;
  private final boolean rewriteBatchedInserts;
  private HikariDataSource pool;
  private boolean closed;

  PostgresConnections(PostgresUrl url, int poolSize, Duration connectionTimeout, boolean rewriteBatchedInserts) {
    this.url = url;
    this.poolSize = poolSize;
    this.connectionTimeout = connectionTimeout;
    this.rewriteBatchedInserts = rewriteBatchedInserts;
  }

  @Override
  public <T> T inTransaction(SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = borrow()) {
        c.setAutoCommit(false);
        try {
          T result = work.apply(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollback(c);
          if (e instanceof SQLException && retryable((SQLException) e) && attempt < ATTEMPTS) {
            log.debug("retrying a transaction PostgreSQL aborted ({}), attempt {}", e.getMessage(), attempt + 1);
            backoff(attempt);
            continue;
          }
          throw e;
        }
      } catch (SQLException e) {
        // 53100 disk_full (and 53xxx: insufficient resources of other kinds are not the disk)
        if ("53100".equals(e.getSQLState())) {
          throw new StoreFullException("PostgreSQL write failed, its disk is full: " + describe(e), e);
        }
        throw new StoreException("PostgreSQL write failed: " + describe(e), e);
      }
    }
  }

  @Override
  public <T> T read(SqlWork<T> work) {
    try (Connection c = borrow()) {
      return work.apply(c);
    } catch (SQLException e) {
      throw new StoreException("PostgreSQL read failed: " + describe(e), e);
    }
  }

  /**
   * Runs {@code work} while holding the advisory lock {@code key}; other nodes asking for the same
   * key wait. The lock is taken in a transaction of its own connection, held open until
   * {@code work} is done, so {@code work} may use the pool, and a transaction-mode pooler such as
   * PgBouncer keeps lock and unlock on one server connection.
   */
  void withAdvisoryLock(long key, Runnable work) {
    withAdvisoryLocks(new long[] {key}, work);
  }

  /**
   * Runs {@code work} while holding every advisory lock of {@code keys}, taken in ascending order so
   * that two callers wanting overlapping sets queue instead of deadlocking.
   */
  void withAdvisoryLocks(long[] keys, Runnable work) {
    long[] sorted = keys.clone();
    java.util.Arrays.sort(sorted);
    try (Connection c = borrow()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT unnest(?::bigint[]) AS k ORDER BY 1) AS keys")) {
        ps.setArray(1, c.createArrayOf("bigint", java.util.Arrays.stream(sorted).boxed().toArray()));
        ps.executeQuery().close();
      }
      try {
        work.run();
      } finally {
        rollback(c);
      }
    } catch (SQLException e) {
      throw new StoreException("PostgreSQL lock failed: " + describe(e), e);
    }
  }

  private Connection borrow() throws SQLException {
    return pool().getConnection();
  }

  private synchronized HikariDataSource pool() {
    if (closed) throw new StoreException("store is closed");
    if (pool == null) pool = new HikariDataSource(config());
    return pool;
  }

  private HikariConfig config() {
    HikariConfig c = new HikariConfig();
    c.setPoolName("sextant-postgres");
    c.setDriverClassName("org.postgresql.Driver");
    c.setJdbcUrl(url.jdbcUrl());
    if (url.user() != null) c.setUsername(url.user());
    if (url.password() != null) c.setPassword(url.password());
    c.setMaximumPoolSize(poolSize);
    c.setMinimumIdle(Math.min(2, poolSize));
    c.setConnectionTimeout(connectionTimeout.toMillis());
    c.setValidationTimeout(Math.max(250, Math.min(1000, connectionTimeout.toMillis() / 2)));
    // the database may be down when the pool is created; it fills itself when it comes up
    c.setInitializationFailTimeout(-1);
    c.setKeepaliveTime(Duration.ofMinutes(2).toMillis());
    // driver defaults that a URL parameter of the same name overrides
    c.addDataSourceProperty("ApplicationName", "sextant");
    c.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, connectionTimeout.toSeconds())));
    c.addDataSourceProperty("tcpKeepAlive", "true");
    c.addDataSourceProperty("reWriteBatchedInserts", String.valueOf(rewriteBatchedInserts));
    return c;
  }

  /**
   * The server's own words, without the statement text: a failed JDBC batch reports the whole
   * statement first, and this message reaches clients in 503 bodies.
   */
  static String describe(SQLException e) {
    SQLException cause = e;
    while (cause.getNextException() != null && cause.getNextException() != cause) cause = cause.getNextException();
    String m = String.valueOf(cause.getMessage());
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline);
  }

  /** Deadlock detected, or serialization failure: PostgreSQL asks for the transaction to be run again. */
  private static boolean retryable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        String state = ((SQLException) t).getSQLState();
        if ("40P01".equals(state) || "40001".equals(state)) return true;
      }
    }
    return false;
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while retrying a PostgreSQL transaction", e);
    }
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; Hikari evicts it
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (pool != null) pool.close();
    pool = null;
  }
}
