package dev.sextant.store.sqlite;

import dev.sextant.store.AgentTotalsConformance;
import dev.sextant.store.Store;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The agent totals conformance suite on a real SQLite file. */
class ITSqliteAgentTotals extends AgentTotalsConformance {
  @TempDir Path dir;

  @Override
  protected Store newStore() {
    return SqliteStore.builder().file(dir.resolve("sextant.db")).build();
  }
}
