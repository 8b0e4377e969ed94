package dev.sextant.store.sqlite;

import dev.sextant.store.sql.Dialect;

/** Lets tests in other packages build SQL exactly as the SQLite store does. */
public final class SqliteDialectAccess {
  private SqliteDialectAccess() {}

  public static Dialect dialect() {
    return new SqliteDialect();
  }
}
