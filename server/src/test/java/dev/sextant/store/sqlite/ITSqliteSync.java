package dev.sextant.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
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

  private static void insertPages(SqliteConnections connections, int pages) {
    connections.inTransactionUnsynced(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER, pad TEXT)");
        s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + pages + ")"
            + " INSERT INTO t SELECT i, printf('%.3000c', 'x') FROM n");
      }
      return null;
    });
  }

  private static boolean checkpointThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("sextant-checkpoint") && t.isAlive());
  }

  @Test
  void full_copiesTheLogIntoTheDatabaseFile_besideTheWriter_andStopsOnClose() throws Exception {
    Path file = dir.resolve("sextant.db");
    try (SqliteConnections connections = new SqliteConnections(file, "FULL", 1)) {
      assertThat(pragma(connections, "wal_autocheckpoint")).isEqualTo(SqliteCheckpointer.WRITER_PAGES);
      // 300 pages in the log: far below the writer's own checkpoint, so only the thread copies them
      insertPages(connections, 300);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (Files.size(file) < 300 * 3000L && System.nanoTime() < deadline) Thread.sleep(20);
      assertThat(Files.size(file)).isGreaterThan(300 * 3000L);
      assertThat(checkpointThreadAlive()).isTrue();
    }
    assertThat(checkpointThreadAlive()).isFalse();
  }

  @Test
  void normal_leavesTheLogToSQLitesOwnCheckpoints() throws Exception {
    Path file = dir.resolve("normal.db");
    try (SqliteConnections connections = new SqliteConnections(file, "NORMAL", 1)) {
      assertThat(pragma(connections, "wal_autocheckpoint")).isEqualTo(1000);
      insertPages(connections, 300);
      Thread.sleep(4 * SqliteCheckpointer.INTERVAL_MS);
      assertThat(Files.size(file)).isLessThan(300 * 3000L);
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
