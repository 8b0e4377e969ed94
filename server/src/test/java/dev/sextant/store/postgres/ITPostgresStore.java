package dev.sextant.store.postgres;

import dev.sextant.store.GroupingCheck;
import dev.sextant.store.Store;
import dev.sextant.store.StoreConformance;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The conformance suite on a real PostgreSQL, each store in a fresh schema. */
class ITPostgresStore extends StoreConformance {
  @Override
  protected Store newStore() {
    return PostgresStore.builder().url(TestPostgres.shared().freshSchemaUrl()).poolSize(4).writerThreads(2).build();
  }

  @Override
  protected Store newSketchOnlyStore() {
    return PostgresStore.builder().url(TestPostgres.shared().freshSchemaUrl()).poolSize(4).writerThreads(2)
        .exactPercentileLimit(0).build();
  }

  /** See {@link GroupingCheck}. */
  @Property(tries = 20)
  void grouping_changesNoRunNorRollup(@ForAll long seed) throws Exception {
    try (Store oneWrite = newSketchOnlyStore(); Store writeByWrite = newSketchOnlyStore()) {
      GroupingCheck.check(oneWrite, writeByWrite, seed);
    }
  }
}
