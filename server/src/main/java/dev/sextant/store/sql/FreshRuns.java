package dev.sextant.store.sql;

import dev.sextant.cost.PriceTable;
import dev.sextant.model.Failure;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepError;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.sql.Rollup.StepRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The runs that a write creates (no row before it), worked out from the write's own records
 * instead of being written record by record and read back. Such a run has no steps but the write's,
 * so each of its steps is its records merged as the step upsert merges them (in arrival order, a
 * non-null field replaces, a null one keeps) and is inserted once, with the cost of its tokens at
 * its model's price when no cost was sent; the run's row is its records merged as the run upsert
 * merges them, and its totals are those of the merged steps.
 */
final class FreshRuns {
  private final SortedMap<RunKey, Run> runs = new TreeMap<>();
  /** The same runs by project and run id, to look records up without a key object each. */
  private final Map<String, Map<String, Run>> byProject = new HashMap<>();

  /**
   * @param fresh the runs that had no row before the write; {@code batches} in arrival order. A run
   *     that one batch alone names is taken as that batch's {@link #prepare} worked it out.
   */
  FreshRuns(Set<RunKey> fresh, List<WriteBatch> batches) {
    if (fresh.isEmpty()) return;
    Map<RunKey, WriteBatch> namedBy = new HashMap<>();
    Set<RunKey> shared = new HashSet<>();
    if (batches.size() > 1) {
      for (WriteBatch b : batches) {
        for (String runId : b.runIds()) {
          RunKey key = new RunKey(b.projectId(), runId);
          if (fresh.contains(key) && namedBy.putIfAbsent(key, b) != null) shared.add(key);
        }
      }
    }
    // the runs to merge here, by project and run id
    Map<String, Map<String, Run>> merge = new HashMap<>();
    for (RunKey key : fresh) {
      WriteBatch only = batches.size() == 1 ? batches.get(0) : shared.contains(key) ? null : namedBy.get(key);
      Run run = only != null && only.prepared() instanceof FreshRuns p ? p.run(key.projectId(), key.runId()) : null;
      if (run == null) {
        run = new Run(key);
        merge.computeIfAbsent(key.projectId(), k -> new HashMap<>()).put(key.runId(), run);
      }
      runs.put(key, run);
      byProject.computeIfAbsent(key.projectId(), k -> new HashMap<>()).put(key.runId(), run);
    }
    if (merge.isEmpty()) return;
    for (WriteBatch b : batches) {
      Map<String, Run> ofProject = merge.get(b.projectId());
      if (ofProject == null) continue;
      for (int i = 0; i < b.runs().size(); i++) {
        Run run = ofProject.get(b.runs().get(i).runId());
        if (run != null) run.add(b.runs().get(i), b.runJson(i));
      }
      Run run = null;
      for (int i = 0; i < b.steps().size(); i++) {
        StepRecord s = b.steps().get(i);
        // a run's steps mostly come one after another: look the run up once for them
        if (run == null || !run.key.runId().equals(s.runId())) run = ofProject.get(s.runId());
        if (run != null) run.add(s, b.stepJson(i));
      }
    }
  }

  /**
   * The batch's runs worked out as if none had a row before its write, on the caller's thread:
   * records merged, steps in order and, with a {@code table} (null: none at hand), priced and
   * totalled. The write takes a run from here when it is fresh and no other batch of the write
   * names it, and prices and totals it again only if its project's table is another by then.
   */
  static FreshRuns prepare(WriteBatch batch, PriceTable table) {
    Set<RunKey> keys = new HashSet<>();
    for (String runId : batch.runIds()) keys.add(new RunKey(batch.projectId(), runId));
    FreshRuns out = new FreshRuns(keys, List.of(batch));
    if (table != null && !out.isEmpty()) {
      out.price(batch.projectId(), table);
      for (Run run : out.runs.values()) run.totals();
    }
    return out;
  }

  /** The fresh run, or null when the run had a row before the write. */
  Run run(String projectId, String runId) {
    Map<String, Run> ofProject = byProject.get(projectId);
    return ofProject == null ? null : ofProject.get(runId);
  }

  boolean isEmpty() {
    return runs.isEmpty();
  }

  /** The fresh runs in key order. */
  Iterable<Run> runs() {
    return runs.values();
  }

  /** The projects of the fresh runs. */
  Set<String> projects() {
    return byProject.keySet();
  }

  /** Prices the steps of the project's fresh runs with {@code table}, unless they are priced with it. */
  void price(String projectId, PriceTable table) {
    for (Run run : byProject.get(projectId).values()) run.price(table);
  }

  /**
   * The stored steps of the fresh runs, as the writer would read them back, by project and run id
   * (runs without steps are absent); each map may be added to, the lists not.
   */
  Map<String, Map<String, List<RunTotals.Step>>> totalsSteps() {
    Map<String, Map<String, List<RunTotals.Step>>> out = new HashMap<>();
    for (Run run : runs.values()) {
      if (run.steps.isEmpty()) continue;
      out.computeIfAbsent(run.key.projectId(), k -> new HashMap<>()).put(run.key.runId(), run.totalsSteps());
    }
    return out;
  }

  /**
   * Sorts in the order of the stores' binary collation: by UTF-8 bytes, which is by code point.
   * Without surrogates (the usual ids) that is the order of {@link String#compareTo}, which is faster.
   */
  static void sortUtf8(List<String> ids) {
    for (String id : ids) {
      for (int i = 0; i < id.length(); i++) {
        if (Character.isSurrogate(id.charAt(i))) {
          ids.sort(FreshRuns::compareUtf8);
          return;
        }
      }
    }
    ids.sort(null);
  }

  /** By code point, as {@link #sortUtf8} orders. */
  static int compareUtf8(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x == y) continue;
      // a surrogate (U+D800..U+DFFF) stands for a code point above every other UTF-16 unit
      boolean sx = Character.isSurrogate(x);
      boolean sy = Character.isSurrogate(y);
      if (sx != sy) return sx ? 1 : -1;
      return Character.compare(x, y);
    }
    return Integer.compare(a.length(), b.length());
  }

  /**
   * A fresh run: its records merged into the columns of its row (as {@code SqlWriter}'s run upsert
   * merges them: a non-null field replaces; a reported {@code running} does not replace another
   * status; a failure's inference mark follows the last failure type), and its steps.
   */
  static final class Run {
    final RunKey key;
    String agentId;
    String agentVersion;
    String environment;
    String name;
    String sessionId;
    Map<String, String> labels;
    String labelsJson;
    Long reportedStartNs;
    Long reportedEndNs;
    RunStatus reportedStatus;
    String failureType;
    String failureCode;
    String failureMessage;
    String failureStepId;
    int failureInferred;
    String metadata;
    String input;
    String output;
    private boolean hasRecord;
    private final Map<String, Step> steps = new HashMap<>();
    private List<Step> sorted;
    /** The table the steps were priced with, null before. */
    private PriceTable pricedWith;
    private List<RunTotals.Step> totalsSteps;
    private RunTotals totals;

    Run(RunKey key) {
      this.key = key;
    }

    void add(RunRecord r, WriteBatch.RunJson json) {
      if (r.agentId() != null) agentId = r.agentId();
      if (r.agentVersion() != null) agentVersion = r.agentVersion();
      if (r.environment() != null) environment = r.environment();
      if (r.name() != null) name = r.name();
      if (r.sessionId() != null) sessionId = r.sessionId();
      if (r.labels() != null) {
        labels = r.labels();
        labelsJson = json.labels();
      }
      if (r.startNanos() != null) reportedStartNs = r.startNanos();
      if (r.endNanos() != null) reportedEndNs = r.endNanos();
      if (r.status() != null && (r.status() != RunStatus.RUNNING || reportedStatus == null)) {
        reportedStatus = r.status();
      }
      Failure f = r.failure();
      if (f != null) {
        if (f.type() != null) failureType = f.type();
        if (f.code() != null) failureCode = f.code();
        if (f.message() != null) failureMessage = f.message();
        if (f.stepId() != null) failureStepId = f.stepId();
      }
      if (!hasRecord || (f != null && f.type() != null)) failureInferred = SqlWriter.failureInferred(f);
      if (json.metadata() != null) metadata = json.metadata();
      if (json.input() != null) input = json.input();
      if (json.output() != null) output = json.output();
      hasRecord = true;
    }

    void add(StepRecord s, WriteBatch.StepJson json) {
      Step step = steps.get(s.stepId());
      if (step == null) {
        steps.put(s.stepId(), new Step(s, json));
      } else {
        step.add(s, json);
      }
      sorted = null;
      totalsSteps = null;
      totals = null;
    }

    /** Prices the steps with {@code table}, unless they were priced with it. */
    void price(PriceTable table) {
      if (pricedWith == table) return;
      for (Step s : steps.values()) s.price(table);
      pricedWith = table;
      totalsSteps = null;
      totals = null;
    }

    /** The steps as {@link RunTotals} reads them, in the order of {@link #sortedSteps}. */
    List<RunTotals.Step> totalsSteps() {
      if (totalsSteps == null) {
        List<RunTotals.Step> out = new ArrayList<>(steps.size());
        for (Step s : sortedSteps()) out.add(s.totals(key.runId()));
        totalsSteps = out;
      }
      return totalsSteps;
    }

    /** The totals of the run's steps. */
    RunTotals totals() {
      if (totals == null) totals = RunTotals.of(totalsSteps());
      return totals;
    }

    /** The steps in the order of their ids in the stores (see {@link #sortUtf8}). */
    List<Step> sortedSteps() {
      if (sorted == null) {
        List<String> ids = new ArrayList<>(steps.keySet());
        sortUtf8(ids);
        sorted = new ArrayList<>(ids.size());
        for (String id : ids) sorted.add(steps.get(id));
      }
      return sorted;
    }
  }

  /** A step of a fresh run: its records merged, and the cost computed for it, if any. */
  static final class Step {
    private StepRecord record;
    private WriteBatch.StepJson json;
    private Double computedCost;

    Step(StepRecord record, WriteBatch.StepJson json) {
      this.record = record;
      this.json = json;
    }

    StepRecord record() {
      return record;
    }

    WriteBatch.StepJson json() {
      return json;
    }

    /** The cost computed from a price, null when the step sent one or has none. */
    Double computedCost() {
      return computedCost;
    }

    /** The cost stored: sent, else computed. */
    Double cost() {
      return record.costUsd() != null ? record.costUsd() : computedCost;
    }

    void add(StepRecord s, WriteBatch.StepJson later) {
      record = merged(record, s);
      // metadata is replaced whole, both parts from the record that brings it
      WriteBatch.StepJson metadata = later.hasMetadata() ? later : json;
      json = new WriteBatch.StepJson(metadata.metadata(), metadata.metadataScope(), or(later.input(), json.input()),
          or(later.output(), json.output()), or(later.events(), json.events()),
          or(later.normalization(), json.normalization()));
    }

    void price(PriceTable table) {
      StepRecord r = record;
      computedCost = r.costUsd() != null ? null : SqlPrices.price(table, r.model(), r.startNanos(), r.endNanos(),
          r.inputTokens(), r.outputTokens(), r.cacheReadTokens(), r.reasoningTokens());
    }

    /** As {@link RunTotals.Step#read} reads the stored row. */
    RunTotals.Step totals(String runId) {
      StepRecord r = record;
      Long start = r.startNanos();
      Long end = r.endNanos();
      // Sql.stepDurationMs
      boolean timed = start != null && end != null && end >= start;
      int attempt = r.attempt() == null ? 1 : r.attempt();
      Double cost = cost();
      StepRow row = new StepRow(runId, r.type() == null ? "custom" : r.type(), Rollup.dim(r.model()),
          r.status() == StepStatus.ERROR || r.status() == StepStatus.TIMEOUT, r.retryOf() != null || attempt > 1,
          timed ? (double) (end - start) / 1000000.0 : null, timed ? end - start : null,
          r.inputTokens() == null ? 0 : r.inputTokens(), r.outputTokens() == null ? 0 : r.outputTokens(),
          cost == null ? 0 : cost);
      return new RunTotals.Step(row, r.stepId(), r.parentStepId(), r.retryOf(), attempt, start, r.inputTokens(),
          r.outputTokens(), cost);
    }
  }

  /** {@code later} over {@code earlier}, field by field. */
  static StepRecord merged(StepRecord earlier, StepRecord later) {
    return new StepRecord(later.runId(), later.stepId(), or(later.parentStepId(), earlier.parentStepId()),
        or(later.seq(), earlier.seq()), or(later.type(), earlier.type()), or(later.name(), earlier.name()),
        or(later.startNanos(), earlier.startNanos()), or(later.endNanos(), earlier.endNanos()),
        or(later.status(), earlier.status()), or(later.attempt(), earlier.attempt()),
        or(later.retryOf(), earlier.retryOf()), or(later.model(), earlier.model()),
        or(later.provider(), earlier.provider()), or(later.inputTokens(), earlier.inputTokens()),
        or(later.outputTokens(), earlier.outputTokens()), or(later.cacheReadTokens(), earlier.cacheReadTokens()),
        or(later.reasoningTokens(), earlier.reasoningTokens()), or(later.costUsd(), earlier.costUsd()),
        or(later.timeToFirstTokenMs(), earlier.timeToFirstTokenMs()), mergedError(earlier, later),
        or(later.metadata(), earlier.metadata()), or(later.input(), earlier.input()),
        or(later.output(), earlier.output()), or(later.events(), earlier.events()),
        or(later.normalization(), earlier.normalization()));
  }

  /** The error's fields are stored, and so merged, one by one. */
  private static StepError mergedError(StepRecord earlier, StepRecord later) {
    StepError e = earlier.error();
    StepError l = later.error();
    if (e == null || l == null) return l == null ? e : l;
    return new StepError(or(l.type(), e.type()), or(l.code(), e.code()), or(l.message(), e.message()));
  }

  private static <T> T or(T value, T otherwise) {
    return value != null ? value : otherwise;
  }
}
