package dev.sextant.store.sqlite;

import dev.sextant.store.CompactStepsMigration;
import dev.sextant.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.io.TempDir;

/** A version-6 SQLite file migrates to compact steps in place. */
class ITSqliteCompactSteps extends CompactStepsMigration {
  @TempDir Path dir;
  private int n;

  @Override
  protected String newDatabase() {
    return dir.resolve("sextant-" + (n++) + ".db").toString();
  }

  @Override
  protected Store open(String database) {
    return SqliteStore.builder().file(Path.of(database)).build();
  }

  @Override
  protected Connection connect(String database) throws java.sql.SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + database);
  }

  @Override
  protected String migrations() {
    return "db/sqlite";
  }
}
