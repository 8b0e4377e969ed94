package dev.sextant.store.clickhouse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.cost.ModelPrice;
import dev.sextant.cost.PriceTable;
import dev.sextant.model.Json;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import dev.sextant.model.Times;
import dev.sextant.store.StoreException;
import dev.sextant.store.TraceWriter;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.sql.RunDerivation;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes runs and steps to ClickHouse: reads the latest stored version of every touched run and of
 * its steps, merges the records into them field by field, recomputes each run from all of its steps
 * ({@link RunDerivation}), and inserts what changed — the steps first, then for each changed run a
 * row cancelling its previous version and the new version, in one insert that also moves the run's
 * rollup contribution (see {@link ClickHouseSchema}).
 *
 * <p>Replaying a write changes nothing: the merged rows come out equal to the stored ones and nothing
 * is inserted. A write that failed half-way (steps stored, runs not) is completed by its retry, which
 * finds the steps and recomputes the runs from them. Concurrent writers must not touch the same run
 * at once; callers serialise writes ({@link #writerThreads} is one per node, and several nodes take
 * run locks in the transactional store).
 */
final class ClickHouseTraceWriter implements TraceWriter {
  /** Runs per read of stored rows: keeps each {@code IN} list, and the query text, small. */
  private static final int CHUNK = 500;

  private final ClickHouseClient client;
  private final Function<String, PriceTable> prices;

  /**
   * @param prices each project's price table, for the costs that clients did not send
   */
  ClickHouseTraceWriter(ClickHouseClient client, Function<String, PriceTable> prices) {
    this.client = client;
    this.prices = prices;
  }

  @Override
  public void check() {
    if (!client.ping()) throw new StoreException("ClickHouse at " + client.base() + " does not answer its ping");
  }

  @Override
  public void write(List<WriteBatch> batches) {
    Map<String, List<WriteBatch>> byProject = new LinkedHashMap<>();
    for (WriteBatch b : batches) byProject.computeIfAbsent(b.projectId(), k -> new ArrayList<>()).add(b);
    List<ObjectNode> steps = new ArrayList<>();
    List<ObjectNode> runs = new ArrayList<>();
    long firstSeen = Times.nowNanos();
    for (Map.Entry<String, List<WriteBatch>> p : byProject.entrySet()) {
      merge(p.getKey(), p.getValue(), firstSeen, runs, steps);
    }
    client.insert("steps", steps);
    client.insert("runs", runs);
  }

  /** Merges one project's batches into its stored rows; adds the rows to insert to {@code runs} and {@code steps}. */
  private void merge(String projectId, List<WriteBatch> batches, long firstSeen, List<ObjectNode> runsOut,
      List<ObjectNode> stepsOut) {
    Map<String, RunRecords> touched = new LinkedHashMap<>();
    for (WriteBatch b : batches) {
      for (RunRecord r : b.runs()) touched.computeIfAbsent(r.runId(), k -> new RunRecords()).runs.add(r);
      for (StepRecord s : b.steps()) touched.computeIfAbsent(s.runId(), k -> new RunRecords()).steps.add(s);
    }
    List<String> ids = new ArrayList<>(touched.keySet());
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      // most writes bring new runs: find the stored ones by their key column alone, which costs
      // ClickHouse little, and read whole rows only for those
      List<String> withRow = existing(projectId, "runs", chunk);
      List<String> withSteps = existing(projectId, "steps", chunk);
      Map<String, ObjectNode> stored = withRow.isEmpty() ? Map.of() : storedRuns(projectId, withRow);
      Map<String, Map<String, ObjectNode>> storedSteps = withSteps.isEmpty() ? Map.of()
          : storedSteps(projectId, withSteps);
      for (String runId : chunk) {
        ObjectNode old = stored.get(runId);
        mergeRun(projectId, runId, old, storedSteps.getOrDefault(runId, Map.of()), touched.get(runId), firstSeen,
            runsOut, stepsOut);
      }
    }
  }

  /**
   * Merges one run's records into its stored rows.
   *
   * @param old the run's latest row, null when it has none; a row retention deleted counts as none
   * @param storedSteps every stored step row of the run, of this incarnation or of one before
   */
  private void mergeRun(String projectId, String runId, ObjectNode old, Map<String, ObjectNode> storedSteps,
      RunRecords records, long firstSeen, List<ObjectNode> runsOut, List<ObjectNode> stepsOut) {
    boolean live = old != null && StoredRows.longValue(old, "deleted") == 0;
    long version = old == null ? 1 : StoredRows.longValue(old, "version") + 1;
    long incarnation = live ? StoredRows.longValue(old, "incarnation") : version;
    Map<String, ObjectNode> runSteps = new LinkedHashMap<>();
    for (Map.Entry<String, ObjectNode> e : storedSteps.entrySet()) {
      if (StoredRows.longValue(e.getValue(), "incarnation") == incarnation) runSteps.put(e.getKey(), e.getValue());
    }
    ObjectNode run = live ? old.deepCopy() : Json.object();
    for (RunRecord r : records.runs) StoredRows.mergeRun(run, r);
    Map<String, ObjectNode> changedSteps = new LinkedHashMap<>();
    for (StepRecord s : records.steps) {
      ObjectNode step = changedSteps.get(s.stepId());
      if (step == null) {
        ObjectNode stored = runSteps.get(s.stepId());
        step = stored == null ? Json.object() : stored.deepCopy();
        step.put("incarnation", incarnation);
        step.put("project_id", projectId);
        step.put("run_id", runId);
        step.put("step_id", s.stepId());
      }
      StoredRows.mergeStep(step, s);
      changedSteps.put(s.stepId(), step);
    }
    PriceTable table = null;
    List<RunDerivation.StepFacts> facts = new ArrayList<>(runSteps.size() + changedSteps.size());
    Map<String, ObjectNode> all = new LinkedHashMap<>(runSteps);
    all.putAll(changedSteps);
    for (Map.Entry<String, ObjectNode> e : changedSteps.entrySet()) {
      if (table == null) table = prices.apply(projectId);
      fillCost(e.getValue(), table);
    }
    for (ObjectNode s : all.values()) facts.add(StoredRows.facts(s));
    RunDerivation.Derived derived = RunDerivation.derive(StoredRows.facts(runId, run), facts, firstSeen);
    StoredRows.setDerived(run, derived);
    long partMonth = old != null ? StoredRows.longValue(old, "part_month") : month(derived.startNs());
    run.put("incarnation", incarnation);
    run.put("deleted", 0);
    run.put("counted", 1);
    run.put("project_id", projectId);
    run.put("run_id", runId);
    run.put("part_month", partMonth);
    for (Map.Entry<String, ObjectNode> e : changedSteps.entrySet()) {
      ObjectNode s = e.getValue();
      ObjectNode stored = runSteps.get(e.getKey());
      s.put("part_month", partMonth);
      if (stored != null && StoredRows.sameContent(stored, s)) continue;
      // above every version of the step, of this incarnation or not, so that the latest row wins
      ObjectNode any = storedSteps.get(e.getKey());
      s.put("version", any == null ? 1 : StoredRows.longValue(any, "version") + 1);
      stepsOut.add(s);
    }
    if (live && StoredRows.sameContent(old, run)) return;
    if (old != null) {
      ObjectNode cancel = old.deepCopy();
      cancel.put("sign", -1);
      runsOut.add(cancel);
    }
    run.put("version", version);
    run.put("sign", 1);
    runsOut.add(run);
  }

  /**
   * Sets the cost of a step that has tokens but no cost sent by the client, from its model's price
   * at its start, marked computed (as the row stores' {@code SqlPrices.fill}).
   */
  private static void fillCost(ObjectNode s, PriceTable table) {
    Double stored = StoredRows.doubleValue(s, "cost_usd");
    boolean computed = StoredRows.longValue(s, "cost_computed") != null && StoredRows.longValue(s, "cost_computed") == 1;
    if (stored != null && !computed) return;
    Long in = StoredRows.longValue(s, "input_tokens");
    Long out = StoredRows.longValue(s, "output_tokens");
    if (in == null && out == null) return;
    Long start = StoredRows.longValue(s, "start_ns");
    Long end = StoredRows.longValue(s, "end_ns");
    long at = start != null ? start : end != null ? end : Times.nowNanos();
    ModelPrice price = table.find(StoredRows.text(s, "model"), at);
    if (price == null) return;
    s.put("cost_usd", price.cost(in, out, StoredRows.longValue(s, "cache_read_tokens"),
        StoredRows.longValue(s, "reasoning_tokens")));
    s.put("cost_computed", 1);
  }

  /** The runs of {@code runIds} that have rows in {@code table}. */
  private List<String> existing(String projectId, String table, List<String> runIds) {
    List<String> out = new ArrayList<>();
    client.select("SELECT DISTINCT run_id FROM " + table + " WHERE project_id = " + ClickHouseClient.quote(projectId)
        + " AND run_id IN (" + ClickHouseClient.quoteAll(runIds) + ")", row -> out.add(row.get("run_id").asText()));
    return out;
  }

  private Map<String, ObjectNode> storedRuns(String projectId, List<String> runIds) {
    Map<String, ObjectNode> out = new LinkedHashMap<>();
    client.select("SELECT * FROM runs FINAL WHERE project_id = " + ClickHouseClient.quote(projectId)
        + " AND run_id IN (" + ClickHouseClient.quoteAll(runIds) + ")", row -> out.put(row.get("run_id").asText(), row));
    return out;
  }

  private Map<String, Map<String, ObjectNode>> storedSteps(String projectId, List<String> runIds) {
    Map<String, Map<String, ObjectNode>> out = new LinkedHashMap<>();
    client.select("SELECT * FROM steps FINAL WHERE project_id = " + ClickHouseClient.quote(projectId)
        + " AND run_id IN (" + ClickHouseClient.quoteAll(runIds) + ")",
        row -> out.computeIfAbsent(row.get("run_id").asText(), k -> new LinkedHashMap<>())
            .put(row.get("step_id").asText(), row));
    return out;
  }

  /** The partition month (yyyymm, UTC) of a time in nanoseconds. */
  static long month(long nanos) {
    ZonedDateTime t = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L)).atZone(ZoneOffset.UTC);
    return t.getYear() * 100L + t.getMonthValue();
  }

  /** The records of one run in one write, in arrival order. */
  private static final class RunRecords {
    final List<RunRecord> runs = new ArrayList<>();
    final List<StepRecord> steps = new ArrayList<>();
  }
}
