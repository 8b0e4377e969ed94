package dev.sextant.store.postgres;

import dev.sextant.store.ScoreConformance;
import dev.sextant.store.Store;

/** The score conformance suite on a real PostgreSQL, each store in a fresh schema. */
class ITPostgresScores extends ScoreConformance {
  @Override
  protected Store newStore() {
    return PostgresStore.builder().url(TestPostgres.shared().freshSchemaUrl()).poolSize(8).writerThreads(2).build();
  }
}
