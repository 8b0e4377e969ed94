package dev.sextant.store.postgres;

import dev.sextant.store.CompactStepsMigration;
import dev.sextant.store.Store;
import java.sql.Connection;
import java.sql.DriverManager;

/** A version-6 PostgreSQL schema migrates to compact steps in place. */
class ITPostgresCompactSteps extends CompactStepsMigration {
  @Override
  protected String newDatabase() {
    return TestPostgres.shared().freshSchemaUrl();
  }

  @Override
  protected Store open(String database) {
    return PostgresStore.builder().url(database).poolSize(4).writerThreads(2).build();
  }

  @Override
  protected Connection connect(String database) throws java.sql.SQLException {
    return DriverManager.getConnection(database);
  }

  @Override
  protected String migrations() {
    return "db/postgres";
  }
}
