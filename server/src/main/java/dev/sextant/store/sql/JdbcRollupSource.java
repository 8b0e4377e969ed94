package dev.sextant.store.sql;

import dev.sextant.store.RunQuantiles;
import dev.sextant.store.RunQuery;
import dev.sextant.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** The row stores' rollup and raw rows, read on one connection. */
record JdbcRollupSource(Connection c, Dialect dialect, SqlStats stats) implements RollupSource {
  @Override
  public RollupRows rows(String projectId, RunQuery q) {
    return new JdbcRollupRows(c, dialect, projectId, q);
  }

  @Override
  public RunQuantiles exactRunQuantiles(String projectId, RunQuery q, double... qs) {
    try {
      return stats.runQuantiles(c, projectId, q, qs);
    } catch (SQLException e) {
      throw new StoreException("could not read run durations: " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Double[]> exactStepPercentiles(String projectId, RunQuery q) {
    try {
      return stats.stepPercentiles(c, projectId, q);
    } catch (SQLException e) {
      throw new StoreException("could not read step durations: " + e.getMessage(), e);
    }
  }
}
