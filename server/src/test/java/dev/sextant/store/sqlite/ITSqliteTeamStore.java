package dev.sextant.store.sqlite;

import dev.sextant.store.Store;
import dev.sextant.store.TeamConformance;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The team access conformance suite on a real SQLite file. */
class ITSqliteTeamStore extends TeamConformance {
  @TempDir Path dir;

  @Override
  protected Store newStore() {
    return SqliteStore.builder().file(dir.resolve("sextant.db")).build();
  }
}
