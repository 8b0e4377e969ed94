package dev.sextant.store.sqlite;

import dev.sextant.store.Store;
import dev.sextant.store.StoreConformance;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite on a real SQLite file. */
class ITSqliteStore extends StoreConformance {
  @TempDir Path dir;
  private int n;

  @Override
  protected Store newStore() {
    return SqliteStore.builder().file(dir.resolve("sextant-" + (n++) + ".db")).build();
  }
}
