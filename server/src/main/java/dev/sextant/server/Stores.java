package dev.sextant.server;

import dev.sextant.store.Store;
import dev.sextant.store.clickhouse.ClickHouseStore;
import dev.sextant.store.postgres.PostgresStore;
import dev.sextant.store.sql.SqlStore;
import dev.sextant.store.sqlite.SqliteStore;

/** Opens the store the configuration names. */
public final class Stores {
  private Stores() {}

  /** PostgreSQL writer threads (the builder's default). */
  private static final int POSTGRES_WRITERS = 4;

  public static Store open(Config config) {
    int pool = config.settings().dbPoolSize();
    switch (config.store()) {
      case "sqlite":
        return SqliteStore.builder()
            .file(config.dataDir().resolve("sextant.db"))
            .synchronous(config.sqliteSynchronous())
            .readers(pool > 0 ? pool : 4)
            .prices(config.settings().prices())
            .build();
      case "postgres":
        if (pool > 0 && pool <= POSTGRES_WRITERS) {
          throw new IllegalArgumentException("--db-pool-size must be more than " + POSTGRES_WRITERS
              + " with PostgreSQL (the writer threads each hold one connection while committing), got " + pool);
        }
        return PostgresStore.builder().url(config.postgresUrl()).writerThreads(POSTGRES_WRITERS)
            .poolSize(pool > 0 ? pool : 16).prices(config.settings().prices()).build();
      case "clickhouse":
        if (config.clickhouse() == null) throw new IllegalArgumentException("--store clickhouse needs --clickhouse-url");
        // the small, transactional state: PostgreSQL when several nodes share it, else SQLite here
        SqlStore small = config.postgresUrl() != null && !config.postgresUrl().isBlank()
            ? PostgresStore.builder().url(config.postgresUrl()).writerThreads(1).poolSize(pool > 0 ? pool : 8)
                .prices(config.settings().prices()).build()
            : SqliteStore.builder().file(config.dataDir().resolve("sextant.db")).synchronous(config.sqliteSynchronous())
                .readers(pool > 0 ? pool : 4).prices(config.settings().prices()).build();
        return new ClickHouseStore(config.clickhouse(), small, SqlStore.DEFAULT_EXACT_PERCENTILE_LIMIT);
      default:
        throw new IllegalArgumentException("--store must be sqlite, postgres or clickhouse, got \""
            + config.store() + "\"");
    }
  }
}
