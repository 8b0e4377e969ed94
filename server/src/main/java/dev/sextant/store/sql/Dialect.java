package dev.sextant.store.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** What differs between the SQL backends; everything else in {@link SqlStore} is shared SQL. */
public interface Dialect {
  /** Folder of numbered migration files on the classpath, e.g. {@code db/sqlite}. */
  String migrationsPath();

  /** A continuous percentile aggregate of {@code expr} at fraction {@code p} (0..1). */
  String percentile(String expr, double p);

  /** Case-insensitive LIKE operator. */
  String ilike();

  /** Called inside the migration transaction before the version check; may take a lock. */
  default void lockForMigration(Connection c) throws SQLException {}

  /**
   * A statement that returns up to {@code pages} free pages to the file system after deletions,
   * or null where the database reuses them by itself (PostgreSQL: autovacuum).
   */
  default String reclaimSpace(int pages) {
    return null;
  }

  /**
   * True where concurrent writers need the touched runs' rows locked, in one order, before
   * writing (PostgreSQL). A backend with a single writer (SQLite) skips that pass.
   */
  default boolean lockRunsBeforeWrite() {
    return true;
  }

  /**
   * A statement that keeps writes and retention's deletes apart where writers run concurrently:
   * taken shared by each write and exclusive by each batch of deletes, first thing in their
   * transactions and held until commit, so a write never sees a run half-way through deletion.
   * Null with a single writer (SQLite), whose transactions never overlap.
   */
  default String retentionGate(boolean exclusive) {
    return null;
  }

  /**
   * True where the driver holds a whole result in memory unless the query runs inside a
   * transaction with a fetch size (pgjdbc); exports then stream steps in a read-only transaction.
   */
  default boolean streamsRowsOnlyInTransaction() {
    return false;
  }
}
