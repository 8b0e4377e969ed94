package dev.sextant.store.sqlite;

import dev.sextant.store.CostConformance;
import dev.sextant.store.Store;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The cost conformance suite on a real SQLite file. */
class ITSqliteCosts extends CostConformance {
  @TempDir Path dir;

  @Override
  protected Store newStore() {
    return SqliteStore.builder().file(dir.resolve("sextant.db")).build();
  }
}
