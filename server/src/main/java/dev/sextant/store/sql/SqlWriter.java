package dev.sextant.store.sql;

import static dev.sextant.store.sql.Sql.setDouble;
import static dev.sextant.store.sql.Sql.setInt;
import static dev.sextant.store.sql.Sql.setJsonText;
import static dev.sextant.store.sql.Sql.setLong;
import static dev.sextant.store.sql.Sql.setString;

import dev.sextant.model.Failure;
import dev.sextant.model.FailureTaxonomy;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import dev.sextant.model.Times;
import dev.sextant.store.WriteBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The write path: idempotent, order-free upserts of runs and steps, then a recomputation of every
 * touched run's totals and derived status from its steps, all in the caller's transaction.
 *
 * <p>Merging is field by field: a non-null value replaces, a null keeps what is stored. The one
 * exception is a run's status, where {@code running} never replaces a final status, and counts as
 * unreported once the run's end is known, so a late "start" message cannot reopen a finished run.
 */
final class SqlWriter {
  private final boolean lockRuns;
  private final StatementCache statements;
  private final RollupWriter rollups;
  private final SqlPrices prices;

  /**
   * @param lockRuns lock touched runs first (concurrent writers); without it the backend has one
   *     serialised write connection, whose prepared statements are then kept across writes
   * @param prices computes the costs that clients did not send
   */
  SqlWriter(boolean lockRuns, SqlPrices prices) {
    this.lockRuns = lockRuns;
    this.prices = prices;
    this.statements = new StatementCache(!lockRuns);
    this.rollups = new RollupWriter(lockRuns, statements);
  }

  private static final String UPSERT_RUN =
      "INSERT INTO runs (project_id, run_id, agent_id, agent_version, environment, name, session_id, labels,"
          + " reported_start_ns, reported_end_ns, reported_status, failure_type, failure_code, failure_message,"
          + " failure_step_id, failure_inferred, metadata, input, output)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (project_id, run_id) DO UPDATE SET"
          + " agent_id = COALESCE(excluded.agent_id, runs.agent_id),"
          + " agent_version = COALESCE(excluded.agent_version, runs.agent_version),"
          + " environment = COALESCE(excluded.environment, runs.environment),"
          + " name = COALESCE(excluded.name, runs.name),"
          + " session_id = COALESCE(excluded.session_id, runs.session_id),"
          + " labels = COALESCE(excluded.labels, runs.labels),"
          + " reported_start_ns = COALESCE(excluded.reported_start_ns, runs.reported_start_ns),"
          + " reported_end_ns = COALESCE(excluded.reported_end_ns, runs.reported_end_ns),"
          + " reported_status = CASE WHEN excluded.reported_status IS NULL THEN runs.reported_status"
          + "   WHEN excluded.reported_status = 'running' AND runs.reported_status IS NOT NULL THEN runs.reported_status"
          + "   ELSE excluded.reported_status END,"
          + " failure_type = COALESCE(excluded.failure_type, runs.failure_type),"
          + " failure_code = COALESCE(excluded.failure_code, runs.failure_code),"
          + " failure_message = COALESCE(excluded.failure_message, runs.failure_message),"
          + " failure_step_id = COALESCE(excluded.failure_step_id, runs.failure_step_id),"
          + " failure_inferred = CASE WHEN excluded.failure_type IS NULL THEN runs.failure_inferred"
          + "   ELSE excluded.failure_inferred END,"
          + " metadata = COALESCE(excluded.metadata, runs.metadata),"
          + " input = COALESCE(excluded.input, runs.input),"
          + " output = COALESCE(excluded.output, runs.output)";

  /** A run's labels are stored under its key, looked up from project and run id, as they are bound. */
  private static final String DELETE_LABELS = "DELETE FROM run_labels WHERE run_key = " + Sql.RUN_KEY;
  private static final String INSERT_LABEL =
      "INSERT INTO run_labels (run_key, key, value) VALUES (" + Sql.RUN_KEY + ", ?, ?)";

  /** A name's id in the dictionary of step strings. */
  private static final String NAME_ID = "SELECT n.name_id FROM names n WHERE n.value = ?";

  /** Adds a name to the dictionary unless it is there; tries no insert (nor sequence value) then. */
  private static final String ENSURE_NAME = "INSERT INTO names (value) SELECT ?"
      + " WHERE NOT EXISTS (SELECT 1 FROM names n WHERE n.value = ?) ON CONFLICT (value) DO NOTHING";

  /** Whether the record brings metadata, in its row or (the scope part) as a dictionary id. */
  private static final String NEW_METADATA =
      "(excluded.metadata IS NOT NULL OR excluded.metadata_scope_id IS NOT NULL)";

  /** Whether the record brings a normalization, as text or as a dictionary id. */
  private static final String NEW_NORMALIZATION =
      "(excluded.normalization IS NOT NULL OR excluded.normalization_id IS NOT NULL)";

  /**
   * Steps are stored in {@code step_rows} under their run's key, with type, name, model, provider,
   * the JSON text of their normalization and their metadata's scope part as ids of {@code names};
   * the view {@code steps} reads them back as strings.
   */
  private static final String UPSERT_STEP =
      "INSERT INTO step_rows (run_key, step_id, parent_step_id, seq, type_id, name_id, start_ns, end_ns,"
          + " status, attempt, retry_of, model_id, provider_id, input_tokens, output_tokens,"
          + " cache_read_tokens, reasoning_tokens, cost_usd, ttft_ms, error_type, error_code, error_message,"
          + " metadata, input, output, events, normalization, normalization_id, metadata_scope_id)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (run_key, step_id) DO UPDATE SET"
          + " parent_step_id = COALESCE(excluded.parent_step_id, step_rows.parent_step_id),"
          + " seq = COALESCE(excluded.seq, step_rows.seq),"
          + " type_id = COALESCE(excluded.type_id, step_rows.type_id),"
          + " name_id = COALESCE(excluded.name_id, step_rows.name_id),"
          + " start_ns = COALESCE(excluded.start_ns, step_rows.start_ns),"
          + " end_ns = COALESCE(excluded.end_ns, step_rows.end_ns),"
          + " status = COALESCE(excluded.status, step_rows.status),"
          + " attempt = COALESCE(excluded.attempt, step_rows.attempt),"
          + " retry_of = COALESCE(excluded.retry_of, step_rows.retry_of),"
          + " model_id = COALESCE(excluded.model_id, step_rows.model_id),"
          + " provider_id = COALESCE(excluded.provider_id, step_rows.provider_id),"
          + " input_tokens = COALESCE(excluded.input_tokens, step_rows.input_tokens),"
          + " output_tokens = COALESCE(excluded.output_tokens, step_rows.output_tokens),"
          + " cache_read_tokens = COALESCE(excluded.cache_read_tokens, step_rows.cache_read_tokens),"
          + " reasoning_tokens = COALESCE(excluded.reasoning_tokens, step_rows.reasoning_tokens),"
          + " cost_usd = COALESCE(excluded.cost_usd, step_rows.cost_usd),"
          + " cost_computed = CASE WHEN excluded.cost_usd IS NULL THEN step_rows.cost_computed END,"
          + " ttft_ms = COALESCE(excluded.ttft_ms, step_rows.ttft_ms),"
          + " error_type = COALESCE(excluded.error_type, step_rows.error_type),"
          + " error_code = COALESCE(excluded.error_code, step_rows.error_code),"
          + " error_message = COALESCE(excluded.error_message, step_rows.error_message),"
          // replaced whole: both parts from the record that brings metadata
          + " metadata = CASE WHEN " + NEW_METADATA + " THEN excluded.metadata ELSE step_rows.metadata END,"
          + " metadata_scope_id = CASE WHEN " + NEW_METADATA + " THEN excluded.metadata_scope_id"
          + "   ELSE step_rows.metadata_scope_id END,"
          + " input = COALESCE(excluded.input, step_rows.input),"
          + " output = COALESCE(excluded.output, step_rows.output),"
          + " events = COALESCE(excluded.events, step_rows.events),"
          // one of the two, or neither: a new normalization replaces the old in whichever column it had
          + " normalization = CASE WHEN " + NEW_NORMALIZATION + " THEN excluded.normalization"
          + "   ELSE step_rows.normalization END,"
          + " normalization_id = CASE WHEN " + NEW_NORMALIZATION + " THEN excluded.normalization_id"
          + "   ELSE step_rows.normalization_id END";

  /** The columns of {@link #UPSERT_STEP}'s values, bound by {@link #bindStep}. */
  private static final int STEP_COLUMNS = 29;

  /**
   * Columns most steps leave empty. A fresh step with none of them is inserted without them
   * ({@link #lean}): the driver binds every parameter with a call of its own, an empty one too, and
   * these would be eleven of a step's thirty.
   */
  private static final Set<String> RARE_STEP_COLUMNS = Set.of("attempt", "retry_of", "cache_read_tokens",
      "reasoning_tokens", "error_type", "error_code", "error_message", "input", "output", "events", "normalization");

  /** The parameters of a fresh step's row: {@link #STEP_COLUMNS} and its cost's origin, or fewer when lean. */
  private static final int FRESH_STEP_PARAMETERS = STEP_COLUMNS + 1;
  private static final int LEAN_STEP_PARAMETERS = FRESH_STEP_PARAMETERS - RARE_STEP_COLUMNS.size();

  /**
   * Steps of runs the write creates, inserted {@link #STEPS_PER_INSERT} rows per statement: one
   * execution then binds the parameters of as many steps but starts and ends once.
   */
  private static final int STEPS_PER_INSERT = 16;

  /** A step of a run the write creates: no row to merge with; its cost may be computed. */
  private static final String INSERT_STEP = insertSteps(false, 1);
  private static final String INSERT_STEPS = insertSteps(false, STEPS_PER_INSERT);
  private static final String INSERT_LEAN_STEP = insertSteps(true, 1);
  private static final String INSERT_LEAN_STEPS = insertSteps(true, STEPS_PER_INSERT);

  /** Inserts {@code rows} fresh steps: {@link #UPSERT_STEP}'s columns (but the rare ones when lean) and {@code cost_computed}. */
  private static String insertSteps(boolean lean, int rows) {
    String head = "INSERT INTO step_rows (";
    List<String> columns = new ArrayList<>();
    for (String column : (UPSERT_STEP.substring(head.length(), UPSERT_STEP.indexOf(") VALUES")) + ", cost_computed")
        .split(",")) {
      if (!lean || !RARE_STEP_COLUMNS.contains(column.strip())) columns.add(column.strip());
    }
    String row = "(" + "?, ".repeat(columns.size() - 1) + "?)";
    return head + String.join(", ", columns) + ") VALUES " + String.join(", ", Collections.nCopies(rows, row));
  }

  /**
   * A run the write creates, complete: its records merged, its totals and what derives from them,
   * under the key the writer gives it.
   */
  private static final String INSERT_RUN = UPSERT_RUN.substring(0, UPSERT_RUN.indexOf(") VALUES"))
      + ", start_ns, end_ns, duration_ms, status, step_count, error_count, retry_count, input_tokens, output_tokens,"
      + " cost_usd, run_key) VALUES (" + "?, ".repeat(29) + "?)";

  /** The highest key a run has had, if it still has its row; the next run's key follows it. */
  private static final String LAST_RUN_KEY = "SELECT MAX(run_key) FROM runs";

  /** A label of a run whose key the write knows. */
  private static final String INSERT_KEYED_LABEL = "INSERT INTO run_labels (run_key, key, value) VALUES (?, ?, ?)";

  /** The integer keys of runs, under which their steps are stored. */
  private static final String RUN_KEYS = "SELECT r.run_id, r.run_key FROM runs r WHERE " + RunChunks.WHERE;

  /**
   * Creates the runs' rows if missing and locks them until commit: a conflicting row is locked by
   * {@code DO UPDATE} even when its {@code WHERE} lets nothing change (which {@code DO NOTHING}
   * would not do). {@code RETURNING} then names exactly the rows it inserted.
   */
  private static final String LOCK_RUN_TAIL =
      " ON CONFLICT (project_id, run_id) DO UPDATE SET run_id = excluded.run_id WHERE 1 = 0"
          + " RETURNING project_id, run_id";

  /** Runs per locking statement; rows are locked in the order of its VALUES. */
  private static final int LOCK_CHUNK = 500;

  /**
   * Reads {@code step_rows} rather than the view {@code steps}: none of these columns is a name.
   * Totals count every step; tokens and cost count a step only when none of its children carries
   * tokens or cost, so an agent span that repeats its children's usage is not counted twice. An
   * error is "unrecovered" when no later attempt of the same action exists.
   */
  /**
   * Sets a run's totals ({@link RunTotals}, computed from its stored steps), and from them and what
   * the client reported, its start, end, duration and status.
   */
  private static final String RECOMPUTE_RUN =
      "UPDATE runs SET step_count = ?, error_count = ?, retry_count = ?, input_tokens = ?, output_tokens = ?,"
          + " cost_usd = ?,"
          + " start_ns = COALESCE(runs.reported_start_ns, ?, runs.reported_end_ns,"
          + "   CASE WHEN runs.start_ns = 0 THEN ? ELSE runs.start_ns END),"
          + " end_ns = runs.reported_end_ns,"
          + " duration_ms = " + Sql.durationMs("COALESCE(runs.reported_start_ns, ?)", "runs.reported_end_ns")
          + ","
          + " status = CASE WHEN runs.reported_status IS NOT NULL"
          + "     AND NOT (runs.reported_status = 'running' AND runs.reported_end_ns IS NOT NULL) THEN runs.reported_status"
          + "   WHEN runs.reported_end_ns IS NULL THEN 'running'"
          + "   WHEN runs.failure_type IS NOT NULL THEN 'failure'"
          + "   WHEN ? > 0 THEN 'partial'"
          + "   ELSE 'success' END"
          + " WHERE runs.project_id = ? AND runs.run_id = ?";

  /**
   * The cause of a failure that a client only inferred (see {@link dev.sextant.model.Failure#inferred}):
   * the first-ending failed step below the root that was not retried successfully and has no such
   * failed child of its own — where things went wrong, rather than the ancestors that failed because
   * of it. Evaluated against every stored step, so the answer is the same whichever request
   * brought which spans.
   */
  private static final String CAUSES =
      " FROM step_rows x WHERE x.run_key = runs.run_key"
          + " AND x.parent_step_id IS NOT NULL AND " + unrecovered("x")
          + " AND NOT EXISTS (SELECT 1 FROM step_rows k WHERE k.run_key = x.run_key"
          + "   AND k.parent_step_id = x.step_id AND " + unrecovered("k") + ")";

  /** {@code failure_inferred} of a failure whose type and code were stated but not its step. */
  static final int STEP_INFERRED = 2;

  /**
   * One row-valued assignment, so the cause is looked up once per run (and only for runs whose
   * failure is inferred); the {@code EXISTS} keeps the provisional failure when no step qualifies.
   * An inferred failure takes the cause's error (its type, else the failure type of its step type:
   * {@link FailureTaxonomy}); a stated failure without a step keeps its own and gains the step.
   */
  private static final String DERIVE_FAILURE =
      "UPDATE runs SET (failure_type, failure_code, failure_message, failure_step_id) = (SELECT"
          + " CASE WHEN runs.failure_inferred = " + STEP_INFERRED + " THEN runs.failure_type"
          + "   WHEN x.error_type IN ("
          + String.join(", ", FailureTaxonomy.TYPES.stream().map(t -> "'" + t + "'").toList())
          + ") THEN x.error_type ELSE " + failureTypeOf("(SELECT t.value FROM names t WHERE t.name_id = x.type_id)")
          + " END,"
          + " CASE WHEN runs.failure_inferred = " + STEP_INFERRED + " THEN runs.failure_code"
          + "   ELSE COALESCE(NULLIF(x.error_code, ''), 'error') END,"
          + " CASE WHEN runs.failure_inferred = " + STEP_INFERRED + " THEN runs.failure_message"
          + "   ELSE x.error_message END, x.step_id" + CAUSES
          + " ORDER BY CASE WHEN x.end_ns IS NULL THEN 1 ELSE 0 END, x.end_ns, x.seq, x.step_id LIMIT 1)"
          + " WHERE runs.project_id = ? AND runs.run_id = ? AND runs.failure_inferred IN (1, " + STEP_INFERRED + ")"
          + " AND EXISTS (SELECT 1" + CAUSES + ")";

  /** {@link FailureTaxonomy#failureType} as SQL over a step type column. */
  private static String failureTypeOf(String column) {
    StringBuilder sql = new StringBuilder("CASE " + column);
    FailureTaxonomy.failureTypes().forEach((step, failure) ->
        sql.append(" WHEN '").append(step).append("' THEN '").append(failure).append('\''));
    return sql.append(" ELSE 'unknown' END").toString();
  }

  /** {@code step} failed and no later attempt of the same action exists. */
  private static String unrecovered(String step) {
    return step + ".status IN ('error', 'timeout') AND NOT EXISTS (SELECT 1 FROM step_rows r"
        + " WHERE r.run_key = " + step + ".run_key"
        + " AND (r.retry_of = " + step + ".step_id OR r.retry_of = " + step + ".retry_of)"
        + " AND COALESCE(r.attempt, 1) > COALESCE(" + step + ".attempt, 1))";
  }

  /**
   * Writes the batches in four steps: lock every touched run, upsert runs (with their labels),
   * upsert steps, recompute the touched runs; around them, the rollups change by what the touched
   * runs contribute after the write minus what they contributed before it ({@link RollupWriter}).
   *
   * <p>A run without a row before the write ({@link FreshRuns}) skips the merging in SQL: each of
   * its steps is inserted once, its records merged and its cost computed, and (with a single
   * writer, which creates rows itself) its row is inserted once with its totals and status, rather
   * than inserted bare and updated by the recomputation.
   *
   * <p>Locking first, and in one global order, is what makes concurrent writers safe: two
   * transactions touching the same runs queue on the first shared run instead of deadlocking, and
   * no other transaction can add steps to a locked run before the recomputation has read them, so
   * the run's totals always count every committed step. (SQLite has one writer, and no row locks.)
   *
   * <p>A record may appear more than once in one write (the same request twice, a run's start and
   * end in one group). Such repeats go to later rounds, so that each round's statement touches a
   * row at most once — a multi-row upsert may not touch a row twice — and later records still
   * merge over earlier ones in arrival order.
   */
  void write(Connection c, List<WriteBatch> batches) throws SQLException {
    // distinct first, then sorted: a group of thousands of steps names a few hundred runs
    Set<RunKey> named = new HashSet<>();
    int perBatch = 0;
    boolean repeats = false;
    for (WriteBatch b : batches) {
      for (String runId : b.runIds()) named.add(new RunKey(b.projectId(), runId));
      perBatch += b.runIds().size();
      repeats |= b.repeats();
    }
    if (named.isEmpty()) return;
    // a record can only repeat within a batch, or in two batches that share a run
    boolean once = !repeats && named.size() == perBatch;
    SortedSet<RunKey> touched = new TreeSet<>(named);
    Set<RunKey> created = lockRuns ? lockRuns(c, touched) : Set.of();
    Map<String, List<String>> runsByProject = byProject(touched, Set.of());
    Map<RollupWriter.Key<Rollup.RunDims>, Rollup.RunAgg> runDeltas = new HashMap<>();
    Map<RollupWriter.Key<Rollup.StepDims>, Rollup.StepAgg> stepDeltas = new HashMap<>();
    long minuteFloor = Rollup.minuteFloor(Times.nowNanos());
    // a row the lock just created contributed nothing before this write
    Set<RunKey> existing = new HashSet<>();
    for (Map.Entry<String, List<String>> p : byProject(touched, created).entrySet()) {
      for (String runId : rollups.contributions(c, p.getKey(), p.getValue(),
          new RollupWriter.Delta(p.getKey(), minuteFloor, runDeltas, stepDeltas).sign(-1))) {
        existing.add(new RunKey(p.getKey(), runId));
      }
    }
    // runs without a row before this write (created by the lock, or to be inserted below)
    Set<RunKey> freshKeys = new HashSet<>();
    for (RunKey run : touched) if (!existing.contains(run)) freshKeys.add(run);
    FreshRuns fresh = new FreshRuns(freshKeys, batches);
    for (String projectId : fresh.projects()) fresh.price(projectId, prices.table(c, projectId));
    // Without row locks this writer alone creates rows: a fresh run's row is inserted once, complete.
    boolean insertFresh = !lockRuns;
    for (List<Keyed<RunRecord>> round : rounds(batches, WriteBatch::runs, RunRecord::runId, r -> null, once,
        insertFresh ? fresh : null)) {
      upsertRuns(c, round);
    }
    long firstSeen = Times.nowNanos();
    // The steps of a fresh run are its records, merged: no need to read them back. The other runs'
    // steps are read once, for their totals and, below, their rollup contribution.
    Map<String, Map<String, List<RunTotals.Step>>> stepsByProject = fresh.totalsSteps();
    Map<RunKey, Long> runKeys = insertFresh ? insertFreshRuns(c, fresh, firstSeen) : new HashMap<>();
    Map<String, Long> nameIds = ensureNames(c, batches);
    runKeys.putAll(runKeys(c, byProject(touched, runKeys.keySet())));
    for (List<Keyed<StepRecord>> round :
        rounds(batches, WriteBatch::steps, StepRecord::runId, StepRecord::stepId, once, fresh)) {
      try (StatementCache.Prepared stepsUse = statements.prepare(c, UPSERT_STEP)) {
        PreparedStatement steps = stepsUse.statement();
        Keyed<StepRecord> previous = null;
        Long runKey = null;
        for (Keyed<StepRecord> s : round) {
          // a run's steps mostly come one after another: look the run up once for them
          if (previous == null || !previous.projectId().equals(s.projectId())
              || !previous.record().runId().equals(s.record().runId())) {
            runKey = runKeys.get(new RunKey(s.projectId(), s.record().runId()));
            if (runKey == null) throw new IllegalStateException("run " + s.record().runId() + " has no row");
          }
          previous = s;
          bindStep(steps, runKey, s.record(), s.record().costUsd(), s.batch().stepJson(s.index()), nameIds);
          steps.addBatch();
        }
        steps.executeBatch();
      }
    }
    insertFreshSteps(c, fresh, runKeys, nameIds);
    prices.fill(c, statements, batches, fresh);
    for (Map.Entry<String, List<String>> p : runsByProject.entrySet()) {
      List<String> stored = new ArrayList<>();
      List<String> recomputed = new ArrayList<>();
      for (String runId : p.getValue()) {
        boolean isFresh = fresh.run(p.getKey(), runId) != null;
        if (!isFresh) stored.add(runId);
        if (!isFresh || !insertFresh) recomputed.add(runId);
      }
      Map<String, List<RunTotals.Step>> steps = stepsByProject.computeIfAbsent(p.getKey(), k -> new HashMap<>());
      if (!stored.isEmpty()) steps.putAll(rollups.steps(c, p.getKey(), stored));
      if (!recomputed.isEmpty()) recompute(c, p.getKey(), recomputed, steps, firstSeen);
    }
    try (StatementCache.Prepared deriveUse = statements.prepare(c, DERIVE_FAILURE)) {
      PreparedStatement derive = deriveUse.statement();
      boolean any = false;
      for (RunKey run : touched) {
        // a run this write inserted has no inferred failure to derive unless its row says so
        FreshRuns.Run inserted = insertFresh ? fresh.run(run.projectId(), run.runId()) : null;
        if (inserted != null && inserted.failureInferred != 1 && inserted.failureInferred != STEP_INFERRED) continue;
        setString(derive, 1, run.projectId());
        setString(derive, 2, run.runId());
        derive.addBatch();
        any = true;
      }
      if (any) derive.executeBatch();
    }
    for (Map.Entry<String, List<String>> p : runsByProject.entrySet()) {
      rollups.contributions(c, p.getKey(), p.getValue(), stepsByProject.get(p.getKey()),
          new RollupWriter.Delta(p.getKey(), minuteFloor, runDeltas, stepDeltas));
    }
    rollups.apply(c, runDeltas, stepDeltas);
  }

  /**
   * Inserts the rows of the fresh runs, their records merged, with the totals of their merged
   * steps and, from both, start, end, duration and status ({@link RunDerivation#place}, which
   * {@link #RECOMPUTE_RUN} states in SQL), and their labels; returns the keys it gave them.
   */
  private Map<RunKey, Long> insertFreshRuns(Connection c, FreshRuns fresh, long firstSeen) throws SQLException {
    Map<RunKey, Long> keys = new HashMap<>();
    if (fresh.isEmpty()) return keys;
    // this writer alone creates rows, so the keys after the highest are free (as SQLite would pick them)
    long next;
    try (StatementCache.Prepared use = statements.prepare(c, LAST_RUN_KEY);
        ResultSet rs = use.statement().executeQuery()) {
      next = rs.next() ? rs.getLong(1) + 1 : 1;
    }
    boolean anyLabels = false;
    try (StatementCache.Prepared use = statements.prepare(c, INSERT_RUN)) {
      PreparedStatement ps = use.statement();
      for (FreshRuns.Run run : fresh.runs()) {
        bindFreshRun(ps, run, run.totals(), firstSeen);
        ps.setLong(INSERT_RUN_KEY, next);
        keys.put(run.key, next++);
        ps.addBatch();
        anyLabels |= run.labels != null && !run.labels.isEmpty();
      }
      ps.executeBatch();
    }
    if (!anyLabels) return keys;
    try (StatementCache.Prepared use = statements.prepare(c, INSERT_KEYED_LABEL)) {
      PreparedStatement insLabel = use.statement();
      for (FreshRuns.Run run : fresh.runs()) {
        if (run.labels == null) continue;
        for (Map.Entry<String, String> l : run.labels.entrySet()) {
          insLabel.setLong(1, keys.get(run.key));
          setString(insLabel, 2, l.getKey());
          setString(insLabel, 3, l.getValue());
          insLabel.addBatch();
        }
      }
      insLabel.executeBatch();
    }
    return keys;
  }

  /** The parameter of {@link #INSERT_RUN} that takes the run's key, after those {@link #bindFreshRun} binds. */
  private static final int INSERT_RUN_KEY = 30;

  /** Inserts each step of the fresh runs once, merged, with the cost computed for it (if any). */
  private void insertFreshSteps(Connection c, FreshRuns fresh, Map<RunKey, Long> runKeys, Map<String, Long> nameIds)
      throws SQLException {
    List<Long> leanKeys = new ArrayList<>();
    List<FreshRuns.Step> leanSteps = new ArrayList<>();
    List<Long> fullKeys = new ArrayList<>();
    List<FreshRuns.Step> fullSteps = new ArrayList<>();
    for (FreshRuns.Run run : fresh.runs()) {
      List<FreshRuns.Step> ofRun = run.sortedSteps();
      if (ofRun.isEmpty()) continue;
      Long runKey = runKeys.get(run.key);
      if (runKey == null) throw new IllegalStateException("run " + run.key.runId() + " has no row");
      for (FreshRuns.Step s : ofRun) {
        boolean lean = lean(s, nameIds);
        (lean ? leanKeys : fullKeys).add(runKey);
        (lean ? leanSteps : fullSteps).add(s);
      }
    }
    insertFreshSteps(c, false, fullKeys, fullSteps, nameIds);
    insertFreshSteps(c, true, leanKeys, leanSteps, nameIds);
  }

  /** Inserts {@code steps}, {@link #STEPS_PER_INSERT} per statement and the rest one by one. */
  private void insertFreshSteps(Connection c, boolean lean, List<Long> keys, List<FreshRuns.Step> steps,
      Map<String, Long> nameIds) throws SQLException {
    int whole = steps.size() - steps.size() % STEPS_PER_INSERT;
    insertFreshSteps(c, lean ? INSERT_LEAN_STEPS : INSERT_STEPS, lean, STEPS_PER_INSERT, keys, steps, 0, whole, nameIds);
    insertFreshSteps(c, lean ? INSERT_LEAN_STEP : INSERT_STEP, lean, 1, keys, steps, whole, steps.size(), nameIds);
  }

  /** Inserts {@code steps} from {@code from} to {@code to}, {@code rows} per execution of {@code sql}. */
  private void insertFreshSteps(Connection c, String sql, boolean lean, int rows, List<Long> keys,
      List<FreshRuns.Step> steps, int from, int to, Map<String, Long> nameIds) throws SQLException {
    if (from == to) return;
    int parameters = lean ? LEAN_STEP_PARAMETERS : FRESH_STEP_PARAMETERS;
    try (StatementCache.Prepared use = statements.prepare(c, sql)) {
      PreparedStatement ps = use.statement();
      for (int row = from; row < to; row += rows) {
        for (int k = 0; k < rows; k++) {
          FreshRuns.Step s = steps.get(row + k);
          int offset = k * parameters;
          bindStep(ps, offset, lean, keys.get(row + k), s.record(), s.cost(), s.json(), nameIds);
          setInt(ps, offset + parameters, s.computedCost() == null ? null : 1);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Whether the fresh step {@code s} has none of the {@link #RARE_STEP_COLUMNS}, as {@link #bindStep} would bind them. */
  private static boolean lean(FreshRuns.Step s, Map<String, Long> nameIds) {
    StepRecord r = s.record();
    WriteBatch.StepJson json = s.json();
    return r.attempt() == null && r.retryOf() == null && r.cacheReadTokens() == null && r.reasoningTokens() == null
        && r.error() == null && json.input() == null && json.output() == null && json.events() == null
        && (json.normalization() == null || nameIds.get(json.normalization()) != null);
  }

  private static void bindFreshRun(PreparedStatement ps, FreshRuns.Run r, RunTotals t, long firstSeen)
      throws SQLException {
    String reported = r.reportedStatus == null ? null : r.reportedStatus.wire();
    RunDerivation.Placement placed =
        RunDerivation.place(r.reportedStartNs, r.reportedEndNs, reported, r.failureType, 0, t, firstSeen);
    int i = 1;
    setString(ps, i++, r.key.projectId());
    setString(ps, i++, r.key.runId());
    setString(ps, i++, r.agentId);
    setString(ps, i++, r.agentVersion);
    setString(ps, i++, r.environment);
    setString(ps, i++, r.name);
    setString(ps, i++, r.sessionId);
    setJsonText(ps, i++, r.labelsJson);
    setLong(ps, i++, r.reportedStartNs);
    setLong(ps, i++, r.reportedEndNs);
    setString(ps, i++, reported);
    setString(ps, i++, r.failureType);
    setString(ps, i++, r.failureCode);
    setString(ps, i++, r.failureMessage);
    setString(ps, i++, r.failureStepId);
    ps.setInt(i++, r.failureInferred);
    setJsonText(ps, i++, r.metadata);
    setJsonText(ps, i++, r.input);
    setJsonText(ps, i++, r.output);
    ps.setLong(i++, placed.startNs());
    setLong(ps, i++, placed.endNs());
    setDouble(ps, i++, placed.durationMs());
    setString(ps, i++, placed.status());
    ps.setLong(i++, t.steps());
    ps.setLong(i++, t.errors());
    ps.setLong(i++, t.retries());
    setLong(ps, i++, t.inputTokens());
    setLong(ps, i++, t.outputTokens());
    setDouble(ps, i, t.costUsd());
  }

  /** Sets the totals of the given runs of {@code projectId} from their stored {@code steps}. */
  private void recompute(Connection c, String projectId, List<String> runIds, Map<String, List<RunTotals.Step>> steps,
      long firstSeen) throws SQLException {
    try (StatementCache.Prepared use = statements.prepare(c, RECOMPUTE_RUN)) {
      PreparedStatement recompute = use.statement();
      for (String runId : runIds) {
        RunTotals t = RunTotals.of(steps.getOrDefault(runId, List.of()));
        recompute.setLong(1, t.steps());
        recompute.setLong(2, t.errors());
        recompute.setLong(3, t.retries());
        setLong(recompute, 4, t.inputTokens());
        setLong(recompute, 5, t.outputTokens());
        setDouble(recompute, 6, t.costUsd());
        setLong(recompute, 7, t.firstStartNs());
        recompute.setLong(8, firstSeen);
        setLong(recompute, 9, t.firstStartNs());
        setLong(recompute, 10, t.firstStartNs());
        recompute.setLong(11, t.unrecovered());
        setString(recompute, 12, projectId);
        setString(recompute, 13, runId);
        recompute.addBatch();
      }
      recompute.executeBatch();
    }
  }

  /** Adds what the given runs contribute now to the rollups (a backfill: they were never counted). */
  void addToRollups(Connection c, String projectId, List<String> runIds) throws SQLException {
    Map<RollupWriter.Key<Rollup.RunDims>, Rollup.RunAgg> runDeltas = new HashMap<>();
    Map<RollupWriter.Key<Rollup.StepDims>, Rollup.StepAgg> stepDeltas = new HashMap<>();
    rollups.contributions(c, projectId, runIds,
        new RollupWriter.Delta(projectId, Rollup.minuteFloor(Times.nowNanos()), runDeltas, stepDeltas));
    rollups.apply(c, runDeltas, stepDeltas);
  }

  private static Map<String, List<String>> byProject(SortedSet<RunKey> runs, Set<RunKey> except) {
    Map<String, List<String>> out = new TreeMap<>();
    for (RunKey run : runs) {
      if (!except.contains(run)) out.computeIfAbsent(run.projectId(), k -> new ArrayList<>()).add(run.runId());
    }
    return out;
  }

  /**
   * Locks the runs in order, creating missing rows; returns the runs it created, which a
   * {@code RETURNING} of an upsert whose update never applies names exactly.
   */
  private Set<RunKey> lockRuns(Connection c, SortedSet<RunKey> runs) throws SQLException {
    Set<RunKey> created = new HashSet<>();
    List<RunKey> all = new ArrayList<>(runs);
    for (int from = 0; from < all.size(); from += LOCK_CHUNK) {
      List<RunKey> chunk = all.subList(from, Math.min(all.size(), from + LOCK_CHUNK));
      StringBuilder sql = new StringBuilder("INSERT INTO runs (project_id, run_id) VALUES ");
      for (int i = 0; i < chunk.size(); i++) sql.append(i == 0 ? "(?, ?)" : ", (?, ?)");
      sql.append(LOCK_RUN_TAIL);
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int i = 1;
        for (RunKey run : chunk) {
          setString(ps, i++, run.projectId());
          setString(ps, i++, run.runId());
        }
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          while (rs.next()) created.add(new RunKey(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return created;
  }

  /**
   * Adds the steps' new strings to the dictionary, in order (concurrent writers insert alike), and
   * returns the ids of all of them: looked up once per write rather than once per use in each step.
   */
  private Map<String, Long> ensureNames(Connection c, List<WriteBatch> batches) throws SQLException {
    Set<String> distinct = new HashSet<>();
    for (WriteBatch b : batches) distinct.addAll(b.names());
    if (distinct.isEmpty()) return Map.of();
    SortedSet<String> names = new TreeSet<>(distinct);
    try (StatementCache.Prepared use = statements.prepare(c, ENSURE_NAME)) {
      PreparedStatement ps = use.statement();
      for (String n : names) {
        setString(ps, 1, n);
        setString(ps, 2, n);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    Map<String, Long> ids = new HashMap<>();
    try (StatementCache.Prepared use = statements.prepare(c, NAME_ID)) {
      for (String n : names) {
        setString(use.statement(), 1, n);
        try (ResultSet rs = use.statement().executeQuery()) {
          if (!rs.next()) throw new IllegalStateException("the name " + n + " is not in the dictionary");
          ids.put(n, rs.getLong(1));
        }
      }
    }
    return ids;
  }

  /** Binds the id of a name the write's dictionary holds, or null. */
  private static void setName(PreparedStatement ps, int i, String name, Map<String, Long> ids) throws SQLException {
    setLong(ps, i, name == null ? null : ids.get(name));
  }

  /** The keys of the given runs, which all have a row by now. */
  private Map<RunKey, Long> runKeys(Connection c, Map<String, List<String>> runsByProject) throws SQLException {
    Map<RunKey, Long> keys = new HashMap<>();
    try (StatementCache.Prepared use = statements.prepare(c, RUN_KEYS)) {
      for (Map.Entry<String, List<String>> p : runsByProject.entrySet()) {
        for (List<String> chunk : RunChunks.of(p.getValue())) {
          RunChunks.bind(use.statement(), p.getKey(), chunk);
          try (ResultSet rs = use.statement().executeQuery()) {
            while (rs.next()) keys.put(new RunKey(p.getKey(), rs.getString(1)), rs.getLong(2));
          }
        }
      }
    }
    return keys;
  }

  private void upsertRuns(Connection c, List<Keyed<RunRecord>> round) throws SQLException {
    try (StatementCache.Prepared runsUse = statements.prepare(c, UPSERT_RUN)) {
      PreparedStatement runs = runsUse.statement();
      for (Keyed<RunRecord> r : round) {
        bindRun(runs, r.projectId(), r.record(), r.batch().runJson(r.index()));
        runs.addBatch();
      }
      runs.executeBatch();
    }
    boolean anyLabels = false;
    try (StatementCache.Prepared delLabelsUse = statements.prepare(c, DELETE_LABELS)) {
      PreparedStatement delLabels = delLabelsUse.statement();
      for (Keyed<RunRecord> r : round) {
        if (r.record().labels() == null) continue;
        anyLabels = true;
        setString(delLabels, 1, r.projectId());
        setString(delLabels, 2, r.record().runId());
        delLabels.addBatch();
      }
      if (anyLabels) delLabels.executeBatch();
    }
    if (!anyLabels) return;
    try (StatementCache.Prepared insLabelUse = statements.prepare(c, INSERT_LABEL)) {
      PreparedStatement insLabel = insLabelUse.statement();
      for (Keyed<RunRecord> r : round) {
        if (r.record().labels() == null) continue;
        for (Map.Entry<String, String> l : r.record().labels().entrySet()) {
          setString(insLabel, 1, r.projectId());
          setString(insLabel, 2, r.record().runId());
          setString(insLabel, 3, l.getKey());
          setString(insLabel, 4, l.getValue());
          insLabel.addBatch();
        }
      }
      insLabel.executeBatch();
    }
  }

  /**
   * Splits the records into rounds in which each key occurs once; the n-th repeat goes to round n.
   * With {@code once} (no record repeats, which the batches know) there is a single round.
   *
   * @param except leaves out the records of these runs (null: none)
   */
  private static <T> List<List<Keyed<T>>> rounds(List<WriteBatch> batches, Function<WriteBatch, List<T>> records,
      Function<T, String> runId, Function<T, String> stepId, boolean once, FreshRuns except) {
    boolean all = except == null || except.isEmpty();
    if (once) {
      List<Keyed<T>> round = new ArrayList<>();
      for (WriteBatch b : batches) {
        List<T> of = records.apply(b);
        // a run's records mostly come one after another: look the run up once for them
        String run = null;
        boolean left = false;
        for (int i = 0; i < of.size(); i++) {
          T r = of.get(i);
          String id = runId.apply(r);
          if (!all && (run == null || !run.equals(id))) {
            run = id;
            left = except.run(b.projectId(), id) != null;
          }
          if (!left) round.add(new Keyed<>(b, i, r));
        }
      }
      return round.isEmpty() ? List.of() : List.of(round);
    }
    Map<RecordKey, Integer> seen = new HashMap<>();
    List<List<Keyed<T>>> rounds = new ArrayList<>();
    for (WriteBatch b : batches) {
      List<T> of = records.apply(b);
      for (int i = 0; i < of.size(); i++) {
        T r = of.get(i);
        if (!all && except.run(b.projectId(), runId.apply(r)) != null) continue;
        int n = seen.merge(new RecordKey(b.projectId(), runId.apply(r), stepId.apply(r)), 1, Integer::sum) - 1;
        if (n == rounds.size()) rounds.add(new ArrayList<>());
        rounds.get(n).add(new Keyed<>(b, i, r));
      }
    }
    return rounds;
  }

  /** Which run or step a record is of ({@code stepId} null for a run). */
  private record RecordKey(String projectId, String runId, String stepId) {}

  /** A record, the batch it came in and its place there. */
  private record Keyed<T>(WriteBatch batch, int index, T record) {
    String projectId() {
      return batch.projectId();
    }
  }

  private static void bindRun(PreparedStatement ps, String project, RunRecord r, WriteBatch.RunJson json)
      throws SQLException {
    int i = 1;
    setString(ps, i++, project);
    setString(ps, i++, r.runId());
    setString(ps, i++, r.agentId());
    setString(ps, i++, r.agentVersion());
    setString(ps, i++, r.environment());
    setString(ps, i++, r.name());
    setString(ps, i++, r.sessionId());
    setJsonText(ps, i++, json.labels());
    setLong(ps, i++, r.startNanos());
    setLong(ps, i++, r.endNanos());
    setString(ps, i++, r.status() == null ? null : r.status().wire());
    setString(ps, i++, r.failure() == null ? null : r.failure().type());
    setString(ps, i++, r.failure() == null ? null : r.failure().code());
    setString(ps, i++, r.failure() == null ? null : r.failure().message());
    setString(ps, i++, r.failure() == null ? null : r.failure().stepId());
    ps.setInt(i++, failureInferred(r.failure()));
    setJsonText(ps, i++, json.metadata());
    setJsonText(ps, i++, json.input());
    setJsonText(ps, i, json.output());
  }

  /** The {@code failure_inferred} column of a record's failure: 0 when stated in full, or none. */
  static int failureInferred(Failure f) {
    return f == null ? 0 : f.inferred() ? 1 : f.stepId() == null ? STEP_INFERRED : 0;
  }

  /** Binds {@link #STEP_COLUMNS} values, the step's cost {@code costUsd}. */
  private static void bindStep(PreparedStatement ps, long runKey, StepRecord s, Double costUsd,
      WriteBatch.StepJson json, Map<String, Long> nameIds) throws SQLException {
    bindStep(ps, 0, false, runKey, s, costUsd, json, nameIds);
  }

  /**
   * {@link #bindStep}, to the parameters after the first {@code offset}; when {@code lean}, all but
   * the {@link #RARE_STEP_COLUMNS}, which the step leaves empty ({@link #lean}).
   */
  private static void bindStep(PreparedStatement ps, int offset, boolean lean, long runKey, StepRecord s,
      Double costUsd, WriteBatch.StepJson json, Map<String, Long> nameIds) throws SQLException {
    int i = offset + 1;
    ps.setLong(i++, runKey);
    setString(ps, i++, s.stepId());
    setString(ps, i++, s.parentStepId());
    setInt(ps, i++, s.seq());
    setName(ps, i++, s.type(), nameIds);
    setName(ps, i++, s.name(), nameIds);
    setLong(ps, i++, s.startNanos());
    setLong(ps, i++, s.endNanos());
    setString(ps, i++, s.status() == null ? null : s.status().wire());
    if (!lean) {
      setInt(ps, i++, s.attempt());
      setString(ps, i++, s.retryOf());
    }
    setName(ps, i++, s.model(), nameIds);
    setName(ps, i++, s.provider(), nameIds);
    setLong(ps, i++, s.inputTokens());
    setLong(ps, i++, s.outputTokens());
    if (!lean) {
      setLong(ps, i++, s.cacheReadTokens());
      setLong(ps, i++, s.reasoningTokens());
    }
    setDouble(ps, i++, costUsd);
    setDouble(ps, i++, s.timeToFirstTokenMs());
    if (!lean) {
      setString(ps, i++, s.error() == null ? null : s.error().type());
      setString(ps, i++, s.error() == null ? null : s.error().code());
      setString(ps, i++, s.error() == null ? null : s.error().message());
    }
    Long scopeId = json.metadataScope() == null ? null : nameIds.get(json.metadataScope());
    setJsonText(ps, i++, scopeId == null ? json.fullMetadata() : json.metadata());
    // in the dictionary unless too long for it (WriteBatch.names)
    Long normalizationId = json.normalization() == null ? null : nameIds.get(json.normalization());
    if (!lean) {
      setJsonText(ps, i++, json.input());
      setJsonText(ps, i++, json.output());
      setJsonText(ps, i++, json.events());
      setJsonText(ps, i++, normalizationId == null ? json.normalization() : null);
    }
    setLong(ps, i++, normalizationId);
    setLong(ps, i, scopeId);
  }
}
