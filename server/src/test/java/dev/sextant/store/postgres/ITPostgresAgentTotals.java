package dev.sextant.store.postgres;

import dev.sextant.store.AgentTotalsConformance;
import dev.sextant.store.Store;

/** The agent totals conformance suite on a real PostgreSQL, each store in a fresh schema. */
class ITPostgresAgentTotals extends AgentTotalsConformance {
  @Override
  protected Store newStore() {
    return PostgresStore.builder().url(TestPostgres.shared().freshSchemaUrl()).poolSize(8).writerThreads(2).build();
  }
}
