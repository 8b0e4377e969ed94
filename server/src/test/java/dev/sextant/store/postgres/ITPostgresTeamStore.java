package dev.sextant.store.postgres;

import dev.sextant.store.Store;
import dev.sextant.store.TeamConformance;

/** The team access conformance suite on a real PostgreSQL, each store in a fresh schema. */
class ITPostgresTeamStore extends TeamConformance {
  @Override
  protected Store newStore() {
    return PostgresStore.builder().url(TestPostgres.shared().freshSchemaUrl()).poolSize(8).writerThreads(2).build();
  }
}
