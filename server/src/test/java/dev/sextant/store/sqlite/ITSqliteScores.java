package dev.sextant.store.sqlite;

import dev.sextant.store.ScoreConformance;
import dev.sextant.store.Store;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The score conformance suite on a real SQLite file. */
class ITSqliteScores extends ScoreConformance {
  @TempDir Path dir;

  @Override
  protected Store newStore() {
    return SqliteStore.builder().file(dir.resolve("sextant.db")).build();
  }
}
