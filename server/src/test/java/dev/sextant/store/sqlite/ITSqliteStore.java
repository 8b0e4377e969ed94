package dev.sextant.store.sqlite;

import dev.sextant.store.Store;
import dev.sextant.store.StoreConformance;
import java.io.IOException;
import java.nio.file.Files;
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

  /** Properties run outside JUnit Jupiter, without {@code @TempDir}: a file deleted on exit. */
  @Override
  protected Store newSketchOnlyStore() throws IOException {
    Path file = Files.createTempFile("sextant-rollups-", ".db");
    file.toFile().deleteOnExit();
    Files.delete(file);
    return SqliteStore.builder().file(file).exactPercentileLimit(0).build();
  }
}
