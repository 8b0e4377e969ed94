package dev.sextant.server;

import dev.sextant.store.Store;
import dev.sextant.store.sqlite.SqliteStore;

/** Opens the store the configuration names. */
public final class Stores {
  private Stores() {}

  public static Store open(Config config) {
    switch (config.store()) {
      case "sqlite":
        return SqliteStore.builder()
            .file(config.dataDir().resolve("sextant.db"))
            .synchronous(config.sqliteSynchronous())
            .build();
      default:
        throw new IllegalArgumentException("--store must be sqlite or postgres, got \"" + config.store() + "\"");
    }
  }
}
