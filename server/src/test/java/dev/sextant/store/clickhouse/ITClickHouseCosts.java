package dev.sextant.store.clickhouse;

import dev.sextant.store.CostConformance;
import dev.sextant.store.Store;
import dev.sextant.store.sql.SqlStore;

/** The cost conformance suite on ClickHouse, with the small state in a SQLite file. */
class ITClickHouseCosts extends CostConformance {
  @Override
  protected Store newStore() throws Exception {
    return ITClickHouseStore.store(SqlStore.DEFAULT_EXACT_PERCENTILE_LIMIT);
  }
}
