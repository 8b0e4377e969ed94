package dev.sextant.store.sqlite;

import dev.sextant.store.sql.Dialect;

final class SqliteDialect implements Dialect {
  @Override
  public String migrationsPath() {
    return "db/sqlite";
  }

  @Override
  public String percentile(String expr, double p) {
    return "percentile_cont(" + expr + ", " + p + ")";
  }

  @Override
  public String reclaimSpace(int pages) {
    return "PRAGMA incremental_vacuum(" + pages + ")";
  }

  @Override
  public boolean lockRunsBeforeWrite() {
    return false;
  }

  @Override
  public String ilike() {
    // SQLite's LIKE is case-insensitive for ASCII already.
    return "LIKE";
  }
}
