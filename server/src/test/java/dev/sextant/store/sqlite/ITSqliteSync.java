package dev.sextant.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code synchronous = FULL} as the write queue uses it: SQLite commits to its log without waiting
 * for the disk, and {@link SqliteConnections#sync} syncs that log, the file beside the database.
 */
class ITSqliteSync {
  @TempDir Path dir;

  private static int pragma(SqliteConnections connections, String name) {
    return connections.inTransaction(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
        rs.next();
        return rs.getInt(1);
      }
    });
  }

  private static long count(SqliteConnections connections) {
    return connections.read(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Test
  void full_commitsWithoutWaiting_andSyncsTheLogApart() {
    Path file = dir.resolve("sextant.db");
    try (SqliteConnections connections = new SqliteConnections(file, "FULL", 2)) {
      assertThat(connections.syncsApart()).isTrue();
      // nothing opened yet, so no log: nothing to sync
      connections.sync();
      assertThat(pragma(connections, "synchronous")).isEqualTo(1); // NORMAL
      connections.inTransactionUnsynced(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE t (x INTEGER)");
          s.execute("INSERT INTO t VALUES (1), (2)");
        }
        return null;
      });
      // committed: readers see it before the sync
      assertThat(count(connections)).isEqualTo(2);
      assertThat(Files.exists(dir.resolve("sextant.db-wal"))).isTrue();
      connections.sync();
    }
  }

  @Test
  void otherSettings_areSQLitesOwn_andSyncNothing() {
    try (SqliteConnections normal = new SqliteConnections(dir.resolve("normal.db"), "NORMAL", 1);
        SqliteConnections off = new SqliteConnections(dir.resolve("off.db"), "OFF", 1)) {
      assertThat(normal.syncsApart()).isFalse();
      assertThat(pragma(normal, "synchronous")).isEqualTo(1);
      assertThat(off.syncsApart()).isFalse();
      assertThat(pragma(off, "synchronous")).isZero();
    }
  }

  @Test
  void aLogThatCannotBeSynced_failsWithTheReason() throws Exception {
    Path file = dir.resolve("sextant.db");
    // a directory where the log would be: opening it for writing fails as a broken file would
    Files.createDirectory(dir.resolve("sextant.db-wal"));
    try (SqliteConnections connections = new SqliteConnections(file, "FULL", 1)) {
      assertThatThrownBy(connections::sync)
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("SQLite's log could not be synced to disk");
    }
  }
}
