package dev.sextant.store.sql;

import static dev.sextant.store.sql.Sql.setString;

import dev.sextant.store.sql.Rollup.RunAgg;
import dev.sextant.store.sql.Rollup.RunDims;
import dev.sextant.store.sql.Rollup.RunRow;
import dev.sextant.store.sql.Rollup.StepAgg;
import dev.sextant.store.sql.Rollup.StepDims;
import dev.sextant.store.sql.Rollup.StepRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Keeps the rollups exact in the write transaction: before the upserts it reads what the touched
 * runs contribute (the run row and its steps), after the recomputation it reads it again, and each
 * rollup row of each tier changes by new minus old. A contribution that did not change cancels
 * out and touches no row. A row whose counts fall to zero is deleted.
 */
final class RollupWriter {
  private static final String RUN_ROWS = "SELECT " + Rollup.RUN_COLUMNS
      + " FROM runs r WHERE " + RunChunks.WHERE;
  private static final String STEP_ROWS = "SELECT " + RunTotals.Step.COLUMNS
      + " FROM runs r JOIN steps s ON s.run_key = r.run_key WHERE " + RunChunks.WHERE;

  private static final String RUN_KEY = "project_id = ? AND tier = ? AND bucket_ns = ? AND agent_id = ?"
      + " AND agent_version = ? AND environment = ? AND status = ? AND failure_type = ? AND failure_code = ?";
  private static final String RUN_KEY_COLUMNS =
      "project_id, tier, bucket_ns, agent_id, agent_version, environment, status, failure_type, failure_code";
  private static final String RUN_VALUES =
      "runs, timed, duration_ns, retries, input_tokens, output_tokens, cost_usd, latency, cost_sq_usd";
  private static final String SELECT_RUN = "SELECT " + RUN_VALUES + " FROM rollup_runs WHERE " + RUN_KEY;
  private static final String DELETE_RUN = "DELETE FROM rollup_runs WHERE " + RUN_KEY;
  private static final String UPSERT_RUN = "INSERT INTO rollup_runs (" + RUN_KEY_COLUMNS + ", " + RUN_VALUES + ")"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (" + RUN_KEY_COLUMNS + ") DO UPDATE SET"
      + " runs = excluded.runs, timed = excluded.timed, duration_ns = excluded.duration_ns,"
      + " retries = excluded.retries, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,"
      + " cost_usd = excluded.cost_usd, latency = excluded.latency, cost_sq_usd = excluded.cost_sq_usd";
  /** Creates the row if missing and locks it until commit (see {@code SqlWriter.LOCK_RUN}). */
  private static final String LOCK_RUN = "INSERT INTO rollup_runs (" + RUN_KEY_COLUMNS + ", " + RUN_VALUES + ")"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, NULL, 0) ON CONFLICT (" + RUN_KEY_COLUMNS + ")"
      + " DO UPDATE SET runs = rollup_runs.runs WHERE 1 = 0";

  private static final String STEP_KEY = RUN_KEY + " AND step_type = ? AND model = ?";
  private static final String STEP_KEY_COLUMNS = RUN_KEY_COLUMNS + ", step_type, model";
  private static final String STEP_VALUES =
      "steps, errors, retries, timed, duration_ns, input_tokens, output_tokens, cost_usd, latency";
  private static final String SELECT_STEP = "SELECT " + STEP_VALUES + " FROM rollup_steps WHERE " + STEP_KEY;
  private static final String DELETE_STEP = "DELETE FROM rollup_steps WHERE " + STEP_KEY;
  private static final String UPSERT_STEP = "INSERT INTO rollup_steps (" + STEP_KEY_COLUMNS + ", " + STEP_VALUES
      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (" + STEP_KEY_COLUMNS + ") DO UPDATE SET"
      + " steps = excluded.steps, errors = excluded.errors, retries = excluded.retries, timed = excluded.timed,"
      + " duration_ns = excluded.duration_ns, input_tokens = excluded.input_tokens,"
      + " output_tokens = excluded.output_tokens, cost_usd = excluded.cost_usd, latency = excluded.latency";
  private static final String LOCK_STEP = "INSERT INTO rollup_steps (" + STEP_KEY_COLUMNS + ", " + STEP_VALUES + ")"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0, NULL) ON CONFLICT (" + STEP_KEY_COLUMNS
      + ") DO UPDATE SET steps = rollup_steps.steps WHERE 1 = 0";

  private final boolean lockRows;
  private final StatementCache statements;

  RollupWriter(boolean lockRows, StatementCache statements) {
    this.lockRows = lockRows;
    this.statements = statements;
  }

  /** The changes to every rollup row that one write makes; old contributions go in with sign -1. */
  static final class Delta implements Rollup.Sink {
    private final String projectId;
    private final long minuteFloorNs;
    private final Map<Key<RunDims>, RunAgg> runs;
    private final Map<Key<StepDims>, StepAgg> steps;
    private long sign = 1;

    /**
     * @param minuteFloorNs minute buckets before this are no longer kept and get no changes
     */
    Delta(String projectId, long minuteFloorNs, Map<Key<RunDims>, RunAgg> runs, Map<Key<StepDims>, StepAgg> steps) {
      this.projectId = projectId;
      this.minuteFloorNs = minuteFloorNs;
      this.runs = runs;
      this.steps = steps;
    }

    Delta sign(long sign) {
      this.sign = sign;
      return this;
    }

    @Override
    public void run(long startNs, RunDims dims, RunAgg agg) {
      for (long tier : Rollup.TIERS) {
        long b = Rollup.bucket(startNs, tier);
        if (tier == Rollup.TIERS[0] && b < minuteFloorNs) continue;
        runs.computeIfAbsent(new Key<>(projectId, tier, b, dims), k -> new RunAgg()).addAll(agg, sign);
      }
    }

    @Override
    public void step(long startNs, StepDims dims, StepAgg agg) {
      for (long tier : Rollup.TIERS) {
        long b = Rollup.bucket(startNs, tier);
        if (tier == Rollup.TIERS[0] && b < minuteFloorNs) continue;
        steps.computeIfAbsent(new Key<>(projectId, tier, b, dims), k -> new StepAgg()).addAll(agg, sign);
      }
    }
  }

  /** A rollup row's key. */
  record Key<D>(String projectId, long tier, long bucketNs, D dims) {}

  /**
   * Reads what the given runs of {@code projectId} contribute now (missing runs contribute nothing);
   * returns the ids of the runs that have a row.
   */
  Set<String> contributions(Connection c, String projectId, List<String> runIds, Rollup.Sink sink)
      throws SQLException {
    Set<String> found = new HashSet<>();
    for (List<String> chunk : RunChunks.of(runIds)) {
      Map<String, RunRow> runs = runRows(c, projectId, chunk);
      if (!runs.isEmpty()) contribute(runs, steps(c, projectId, chunk), sink);
      found.addAll(runs.keySet());
    }
    return found;
  }

  /** Sends what the given runs contribute with {@code steps}, read before by {@link #steps}. */
  void contributions(Connection c, String projectId, List<String> runIds, Map<String, List<RunTotals.Step>> steps,
      Rollup.Sink sink) throws SQLException {
    for (List<String> chunk : RunChunks.of(runIds)) contribute(runRows(c, projectId, chunk), steps, sink);
  }

  /** The stored steps of the given runs of {@code projectId}, by run id (runs without steps are absent). */
  Map<String, List<RunTotals.Step>> steps(Connection c, String projectId, List<String> runIds) throws SQLException {
    Map<String, List<RunTotals.Step>> steps = new HashMap<>();
    for (List<String> chunk : RunChunks.of(runIds)) {
      try (StatementCache.Prepared use = statements.prepare(c, STEP_ROWS)) {
        RunChunks.bind(use.statement(), projectId, chunk);
        try (ResultSet rs = use.statement().executeQuery()) {
          while (rs.next()) {
            RunTotals.Step s = RunTotals.Step.read(rs);
            steps.computeIfAbsent(s.row().runId(), k -> new ArrayList<>()).add(s);
          }
        }
      }
    }
    return steps;
  }

  private Map<String, RunRow> runRows(Connection c, String projectId, List<String> chunk) throws SQLException {
    Map<String, RunRow> runs = new LinkedHashMap<>();
    try (StatementCache.Prepared use = statements.prepare(c, RUN_ROWS)) {
      RunChunks.bind(use.statement(), projectId, chunk);
      try (ResultSet rs = use.statement().executeQuery()) {
        while (rs.next()) {
          RunRow run = RunRow.read(rs);
          runs.put(run.runId(), run);
        }
      }
    }
    return runs;
  }

  private static void contribute(Map<String, RunRow> runs, Map<String, List<RunTotals.Step>> steps, Rollup.Sink sink) {
    for (RunRow run : runs.values()) {
      List<RunTotals.Step> ofRun = steps.getOrDefault(run.runId(), List.of());
      List<StepRow> rows = new ArrayList<>(ofRun.size());
      for (RunTotals.Step s : ofRun) rows.add(s.row());
      Rollup.contribute(run, rows, sink);
    }
  }

  /** Applies the changes; rows are locked (where rows have locks) in one global order. */
  void apply(Connection c, Map<Key<RunDims>, RunAgg> runs, Map<Key<StepDims>, StepAgg> steps) throws SQLException {
    TreeMap<String, Map.Entry<Key<RunDims>, RunAgg>> runOrder = new TreeMap<>();
    for (Map.Entry<Key<RunDims>, RunAgg> e : runs.entrySet()) {
      if (!e.getValue().isZero()) runOrder.put(order(e.getKey(), null), e);
    }
    TreeMap<String, Map.Entry<Key<StepDims>, StepAgg>> stepOrder = new TreeMap<>();
    for (Map.Entry<Key<StepDims>, StepAgg> e : steps.entrySet()) {
      if (!e.getValue().isZero()) stepOrder.put(order(e.getKey(), e.getKey().dims()), e);
    }
    if (!runOrder.isEmpty()) applyRows(c, runOrder.values(), RUN_SQL, (ps, k) -> bindRunKey(ps, 1, k), RunAgg::new);
    if (!stepOrder.isEmpty()) applyRows(c, stepOrder.values(), STEP_SQL, RollupWriter::bindStepKey, StepAgg::new);
  }

  /** The statements of one kind of rollup row. */
  private record RowSql(String lock, String select, String upsert, String delete) {}

  private static final RowSql RUN_SQL = new RowSql(LOCK_RUN, SELECT_RUN, UPSERT_RUN, DELETE_RUN);
  private static final RowSql STEP_SQL = new RowSql(LOCK_STEP, SELECT_STEP, UPSERT_STEP, DELETE_STEP);

  /** Binds a row's key from parameter 1; returns the next parameter index. */
  @FunctionalInterface
  private interface KeyBinder<D> {
    int bind(PreparedStatement ps, Key<D> key) throws SQLException;
  }

  /**
   * Adds each change to its row: locks the rows first where rows have locks, then reads each, adds
   * the change, and upserts it, or deletes it when it no longer counts anything.
   */
  private <D, A extends Rollup.Agg<A>> void applyRows(Connection c, Collection<Map.Entry<Key<D>, A>> changes,
      RowSql sql, KeyBinder<D> key, Supplier<A> empty) throws SQLException {
    if (lockRows) {
      try (StatementCache.Prepared use = statements.prepare(c, sql.lock())) {
        for (Map.Entry<Key<D>, A> e : changes) {
          key.bind(use.statement(), e.getKey());
          use.statement().addBatch();
        }
        use.statement().executeBatch();
      }
    }
    try (StatementCache.Prepared select = statements.prepare(c, sql.select());
        StatementCache.Prepared upsert = statements.prepare(c, sql.upsert());
        StatementCache.Prepared delete = statements.prepare(c, sql.delete())) {
      boolean upserts = false;
      boolean deletes = false;
      for (Map.Entry<Key<D>, A> e : changes) {
        A row = empty.get();
        key.bind(select.statement(), e.getKey());
        try (ResultSet rs = select.statement().executeQuery()) {
          if (rs.next()) row.read(rs);
        }
        row.addAll(e.getValue(), 1);
        if (!row.counts()) {
          key.bind(delete.statement(), e.getKey());
          delete.statement().addBatch();
          deletes = true;
        } else {
          row.bind(upsert.statement(), key.bind(upsert.statement(), e.getKey()));
          upsert.statement().addBatch();
          upserts = true;
        }
      }
      if (upserts) upsert.statement().executeBatch();
      if (deletes) delete.statement().executeBatch();
    }
  }

  private static int bindRunKey(PreparedStatement ps, int from, Key<?> k) throws SQLException {
    RunDims d = k.dims() instanceof StepDims s ? s.run() : (RunDims) k.dims();
    int i = from;
    setString(ps, i++, k.projectId());
    ps.setLong(i++, k.tier());
    ps.setLong(i++, k.bucketNs());
    setString(ps, i++, d.agent());
    setString(ps, i++, d.version());
    setString(ps, i++, d.environment());
    setString(ps, i++, d.status());
    setString(ps, i++, d.failureType());
    setString(ps, i++, d.failureCode());
    return i;
  }

  private static int bindStepKey(PreparedStatement ps, Key<StepDims> k) throws SQLException {
    int i = bindRunKey(ps, 1, k);
    setString(ps, i++, k.dims().type());
    setString(ps, i++, k.dims().model());
    return i;
  }

  /** A total order of keys that every writer shares, so that row locks are always taken in it. */
  private static String order(Key<?> k, StepDims step) {
    RunDims d = step != null ? step.run() : (RunDims) k.dims();
    StringBuilder s = new StringBuilder(k.projectId()).append('\u0001').append(k.tier()).append('\u0001')
        .append(k.bucketNs()).append('\u0001').append(d.agent()).append('\u0001').append(d.version())
        .append('\u0001').append(d.environment()).append('\u0001').append(d.status()).append('\u0001')
        .append(d.failureType()).append('\u0001').append(d.failureCode());
    if (step != null) s.append('\u0001').append(step.type()).append('\u0001').append(step.model());
    return s.toString();
  }
}
