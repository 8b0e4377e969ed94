package dev.sextant.store.postgres;

import dev.sextant.store.CostConformance;
import dev.sextant.store.Store;

/** The cost conformance suite on a real PostgreSQL, each store in a fresh schema. */
class ITPostgresCosts extends CostConformance {
  @Override
  protected Store newStore() {
    return PostgresStore.builder().url(TestPostgres.shared().freshSchemaUrl()).poolSize(8).writerThreads(2).build();
  }
}
