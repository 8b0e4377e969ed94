package dev.sextant.store.postgres;

import dev.sextant.store.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

final class PostgresDialect implements Dialect {
  /** Advisory-lock key of schema migrations; any constant every node agrees on. */
  static final long MIGRATION_LOCK = 0x5e7a_6e74_0000_0001L;
  /** Writes hold it shared, retention's delete batches exclusive (keys of exclusively() end in 00). */
  static final long RETENTION_GATE = 0x5e7a_6e74_0000_0002L;

  @Override
  public String migrationsPath() {
    return "db/postgres";
  }

  @Override
  public String percentile(String expr, double p) {
    return "percentile_cont(" + p + ") WITHIN GROUP (ORDER BY " + expr + ")";
  }

  @Override
  public boolean streamsRowsOnlyInTransaction() {
    return true;
  }

  @Override
  public String ilike() {
    return "ILIKE";
  }

  @Override
  public String retentionGate(boolean exclusive) {
    return (exclusive ? "SELECT pg_advisory_xact_lock(" : "SELECT pg_advisory_xact_lock_shared(") + RETENTION_GATE + ")";
  }

  /**
   * Several nodes start at once against one database; the transaction-scoped advisory lock makes
   * them apply each migration one after the other, and it is released by the commit.
   */
  @Override
  public void lockForMigration(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      ps.setLong(1, MIGRATION_LOCK);
      ps.executeQuery().close();
    }
  }
}
