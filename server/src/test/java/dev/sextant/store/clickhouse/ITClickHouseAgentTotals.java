package dev.sextant.store.clickhouse;

import dev.sextant.store.AgentTotalsConformance;
import dev.sextant.store.Store;
import dev.sextant.store.sql.SqlStore;

/** The agent totals conformance suite on ClickHouse, with the small state in a SQLite file. */
class ITClickHouseAgentTotals extends AgentTotalsConformance {
  @Override
  protected Store newStore() throws Exception {
    return ITClickHouseStore.store(SqlStore.DEFAULT_EXACT_PERCENTILE_LIMIT);
  }
}
