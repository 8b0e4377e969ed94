package dev.sextant.store.clickhouse;

import dev.sextant.store.Store;
import dev.sextant.store.StoreConformance;
import dev.sextant.store.sql.SqlStore;
import dev.sextant.store.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The conformance suite on ClickHouse (a throwaway server), with the small state in a SQLite file. */
class ITClickHouseStore extends StoreConformance {
  @Override
  protected Store newStore() throws IOException {
    return store(SqlStore.DEFAULT_EXACT_PERCENTILE_LIMIT);
  }

  @Override
  protected Store newSketchOnlyStore() throws IOException {
    return store(0);
  }

  /** A store on a new database of the shared server; the SQLite file is deleted on exit. */
  static ClickHouseStore store(int exactLimit) throws IOException {
    Path file = Files.createTempFile("sextant-small-", ".db");
    file.toFile().deleteOnExit();
    Files.delete(file);
    TestClickHouse ch = TestClickHouse.shared();
    ClickHouseStore.ClickHouseConfig config = new ClickHouseStore.ClickHouseConfig(List.of(ch.url(0)), ch.user(),
        ch.password(), ch.newDatabase(), null, Duration.ofSeconds(60));
    return new ClickHouseStore(config, SqliteStore.builder().file(file).build(), exactLimit);
  }
}
