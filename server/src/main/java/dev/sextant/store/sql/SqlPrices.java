package dev.sextant.store.sql;

import dev.sextant.cost.ModelPrice;
import dev.sextant.cost.PriceTable;
import dev.sextant.model.StepRecord;
import dev.sextant.model.Times;
import dev.sextant.store.WriteBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model prices (the table {@code model_prices}: a project's overrides and additions over the
 * server's {@link PriceTable}) and the costs computed from them in the write transaction.
 *
 * <p>A step's cost is computed from its stored state after the upserts, not from one record, so it
 * is right whatever the order and split of the records (a Langfuse generation names its model when
 * created and its usage when updated): every step the write touched with tokens or a model but
 * no sent cost gets, if its model has a price at the step's start, the cost of its tokens, marked
 * computed. A cost sent later replaces it and clears the mark.
 */
final class SqlPrices {
  /** How long a project's table is used before its overrides are read again (other nodes' changes). */
  private static final long REFRESH_NANOS = 30_000_000_000L;

  private static final String COLUMNS = "model, effective_from, provider, input, output, cached_input, reasoning";

  private static final String MERGED = "SELECT s.run_key, (SELECT m.value FROM names m WHERE m.name_id = s.model_id),"
      + " s.start_ns, s.end_ns, s.input_tokens, s.output_tokens, s.cache_read_tokens, s.reasoning_tokens, s.cost_usd,"
      + " s.cost_computed FROM runs r JOIN step_rows s ON s.run_key = r.run_key"
      + " WHERE r.project_id = ? AND r.run_id = ? AND s.step_id = ?";
  private static final String SET_COST =
      "UPDATE step_rows SET cost_usd = ?, cost_computed = 1 WHERE run_key = ? AND step_id = ?";

  private record Loaded(PriceTable table, long atNanos) {}

  private final PriceTable base;
  private final ConcurrentHashMap<String, Loaded> tables = new ConcurrentHashMap<>();

  SqlPrices(PriceTable base) {
    this.base = base;
  }

  PriceTable base() {
    return base;
  }

  /** The project's table: the server's with the project's rows over it. */
  PriceTable table(Connection c, String projectId) throws SQLException {
    PriceTable cached = cached(projectId);
    if (cached != null) return cached;
    PriceTable table = base.with(overrides(c, projectId));
    tables.put(projectId, new Loaded(table, System.nanoTime()));
    return table;
  }

  /**
   * The project's table as {@link #table} would answer it without reading the store, or null when
   * it would read it (none loaded yet, or due to be read again).
   */
  PriceTable cached(String projectId) {
    Loaded loaded = tables.get(projectId);
    return loaded != null && System.nanoTime() - loaded.atNanos() < REFRESH_NANOS ? loaded.table() : null;
  }

  /** Forgets the project's table, after its overrides changed. */
  void invalidate(String projectId) {
    tables.remove(projectId);
  }

  List<ModelPrice> overrides(Connection c, String projectId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM model_prices WHERE project_id = ?"
        + " ORDER BY model, effective_from")) {
      Sql.setString(ps, 1, projectId);
      List<ModelPrice> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new ModelPrice(rs.getString(1), rs.getString(3), LocalDate.parse(rs.getString(2)), rs.getDouble(4),
              rs.getDouble(5), Sql.getDouble(rs, 6), Sql.getDouble(rs, 7)));
        }
      }
      return out;
    }
  }

  void put(Connection c, String projectId, ModelPrice p) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_prices (project_id, " + COLUMNS + ")"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, model, effective_from) DO UPDATE SET"
        + " provider = excluded.provider, input = excluded.input, output = excluded.output,"
        + " cached_input = excluded.cached_input, reasoning = excluded.reasoning")) {
      int i = 1;
      Sql.setString(ps, i++, projectId);
      Sql.setString(ps, i++, PriceTable.normalize(p.model()));
      Sql.setString(ps, i++, p.effectiveFrom().toString());
      Sql.setString(ps, i++, p.provider());
      ps.setDouble(i++, p.input());
      ps.setDouble(i++, p.output());
      Sql.setDouble(ps, i++, p.cachedInput());
      Sql.setDouble(ps, i, p.reasoning());
      ps.executeUpdate();
    }
  }

  boolean delete(Connection c, String projectId, String model, LocalDate effectiveFrom) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM model_prices WHERE project_id = ? AND model = ? AND effective_from = ?")) {
      Sql.setString(ps, 1, projectId);
      Sql.setString(ps, 2, PriceTable.normalize(model));
      Sql.setString(ps, 3, effectiveFrom.toString());
      return ps.executeUpdate() > 0;
    }
  }

  /**
   * Computes the costs of the touched steps of runs that had a row before the write (the steps of
   * {@code fresh} runs were priced before they were inserted); called after the step upserts.
   * Each step is read back merged with what was stored.
   */
  void fill(Connection c, StatementCache statements, List<WriteBatch> batches, FreshRuns fresh) throws SQLException {
    for (WriteBatch b : batches) {
      Set<List<String>> candidates = new LinkedHashSet<>();
      for (StepRecord s : b.steps()) {
        if (s.costUsd() == null && (s.model() != null || s.inputTokens() != null || s.outputTokens() != null
            || s.cacheReadTokens() != null || s.reasoningTokens() != null)
            && fresh.run(b.projectId(), s.runId()) == null) {
          candidates.add(List.of(s.runId(), s.stepId()));
        }
      }
      if (candidates.isEmpty()) continue;
      PriceTable table = table(c, b.projectId());
      try (StatementCache.Prepared merged = statements.prepare(c, MERGED);
          StatementCache.Prepared set = statements.prepare(c, SET_COST)) {
        boolean updates = false;
        for (List<String> step : candidates) {
          Sql.setString(merged.statement(), 1, b.projectId());
          Sql.setString(merged.statement(), 2, step.get(0));
          Sql.setString(merged.statement(), 3, step.get(1));
          Double cost;
          long runKey;
          try (ResultSet rs = merged.statement().executeQuery()) {
            if (!rs.next()) continue;
            cost = cost(table, rs);
            runKey = rs.getLong(1);
          }
          if (cost == null) continue;
          set.statement().setDouble(1, cost);
          set.statement().setLong(2, runKey);
          Sql.setString(set.statement(), 3, step.get(1));
          set.statement().addBatch();
          updates = true;
        }
        if (updates) set.statement().executeBatch();
      }
    }
  }

  /** The cost to store for a step row of {@link #MERGED}, or null to leave it as it is. */
  private static Double cost(PriceTable table, ResultSet rs) throws SQLException {
    Double stored = Sql.getDouble(rs, 9);
    rs.getInt(10);
    boolean computed = !rs.wasNull();
    if (stored != null && !computed) return null; // sent by the client
    Double cost = price(table, rs.getString(2), Sql.getLong(rs, 3), Sql.getLong(rs, 4), Sql.getLong(rs, 5),
        Sql.getLong(rs, 6), Sql.getLong(rs, 7), Sql.getLong(rs, 8));
    return cost == null || (stored != null && stored == (double) cost) ? null : cost;
  }

  /**
   * The cost of a step's tokens at its model's price when it starts (else ends, else now); null
   * without input or output tokens, or when the model has no price then.
   */
  static Double price(PriceTable table, String model, Long startNs, Long endNs, Long inputTokens, Long outputTokens,
      Long cacheReadTokens, Long reasoningTokens) {
    if (inputTokens == null && outputTokens == null) return null;
    ModelPrice price = table.find(model, startNs != null ? startNs : endNs != null ? endNs : Times.nowNanos());
    return price == null ? null : price.cost(inputTokens, outputTokens, cacheReadTokens, reasoningTokens);
  }
}
