package dev.sextant.server;

import dev.sextant.store.postgres.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;

/**
 * {@link StoreOutageCheck} on PostgreSQL (the pool gives up after 2 s). It always runs an embedded
 * PostgreSQL of its own, even with {@code SEXTANT_TEST_POSTGRES_URL} set.
 */
class ITPostgresOutage extends StoreOutageCheck {
  private EmbeddedPostgres pg;
  private Path data;
  private int port;

  @Override
  Config startStore(Path dir, Config defaults) {
    data = dir.resolve("pgdata");
    pg = TestPostgres.start(data, 0);
    port = pg.getPort();
    return defaults.toBuilder().store("postgres").postgresUrl("postgresql://postgres@localhost:" + port + "/postgres")
        .build();
  }

  @Override
  void stopStore() throws Exception {
    pg.close();
  }

  @Override
  void restartStore() {
    pg = TestPostgres.start(data, port);
  }

  @Override
  void closeStore() throws Exception {
    if (pg != null) pg.close();
  }
}
