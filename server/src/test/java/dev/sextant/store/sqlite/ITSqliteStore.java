package dev.sextant.store.sqlite;

import dev.sextant.store.GroupingCheck;
import dev.sextant.store.Store;
import dev.sextant.store.StoreConformance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite on a real SQLite file. */
class ITSqliteStore extends StoreConformance {
  @TempDir Path dir;
  private int n;

  @Override
  protected Store newStore() {
    return SqliteStore.builder().file(dir.resolve("sextant-" + (n++) + ".db")).build();
  }

  /** Properties run outside JUnit Jupiter, without {@code @TempDir}: a file deleted on exit. */
  @Override
  protected Store newSketchOnlyStore() throws IOException {
    Path file = Files.createTempFile("sextant-rollups-", ".db");
    file.toFile().deleteOnExit();
    Files.delete(file);
    return SqliteStore.builder().file(file).exactPercentileLimit(0).build();
  }

  /** See {@link GroupingCheck}. */
  @Property(tries = 100)
  void grouping_changesNoRunNorRollup(@ForAll long seed) throws Exception {
    try (Store oneWrite = newSketchOnlyStore(); Store writeByWrite = newSketchOnlyStore()) {
      GroupingCheck.check(oneWrite, writeByWrite, seed);
    }
  }
}
