package dev.sextant.store.sql;

import dev.sextant.cost.ModelPrice;
import dev.sextant.cost.PriceTable;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.model.Times;
import dev.sextant.store.sql.Rollup.StepRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stored steps of runs that a write creates, worked out from the write's own records rather
 * than read back: such a run had no steps before the write, so its steps are exactly the write's
 * records of it, merged as the step upsert merges them (in arrival order, a non-null field replaces,
 * a null one keeps). The result is what {@link RollupWriter#steps} would read, in the same order
 * (by step id), for the run's totals and rollup contribution.
 *
 * <p>A step without a sent cost is priced here too ({@link Merged#price}, called by {@code SqlPrices}).
 */
final class NewRunSteps {
  private final Set<RunKey> runs;
  private final Map<RunKey, Map<String, Merged>> merged = new HashMap<>();

  /** @param runs the runs that had no row before the write */
  NewRunSteps(Set<RunKey> runs) {
    this.runs = runs;
  }

  /**
   * The merged steps of a run so far, to {@link #add} its records to in arrival order; null when the
   * run is not one of the new runs.
   */
  Map<String, Merged> of(RunKey run) {
    return runs.contains(run) ? merged.computeIfAbsent(run, k -> new HashMap<>()) : null;
  }

  /** Adds a record of a step of a new run, over the ones before it ({@code ofRun} from {@link #of}). */
  static void add(Map<String, Merged> ofRun, StepRecord s) {
    ofRun.computeIfAbsent(s.stepId(), k -> new Merged()).add(s);
  }

  /** The merged step of a new run; null when the run is not new (or has no such step). */
  Merged step(RunKey run, String stepId) {
    Map<String, Merged> ofRun = merged.get(run);
    return ofRun == null ? null : ofRun.get(stepId);
  }

  /** The steps of the new runs, by project and run id (runs without steps are absent); each map may be added to. */
  Map<String, Map<String, List<RunTotals.Step>>> steps() {
    Map<String, Map<String, List<RunTotals.Step>>> out = new HashMap<>();
    for (Map.Entry<RunKey, Map<String, Merged>> run : merged.entrySet()) {
      String runId = run.getKey().runId();
      List<String> stepIds = new ArrayList<>(run.getValue().keySet());
      sortUtf8(stepIds);
      List<RunTotals.Step> steps = new ArrayList<>(stepIds.size());
      for (String stepId : stepIds) steps.add(run.getValue().get(stepId).step(runId, stepId));
      out.computeIfAbsent(run.getKey().projectId(), k -> new HashMap<>()).put(runId, steps);
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
          ids.sort(NewRunSteps::compareUtf8);
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
   * One step's fields that totals and rollups read, merged over its records. Numbers are copied out
   * of their boxes when added, while the writer has the record at hand.
   */
  static final class Merged {
    private String parentStepId;
    private String type;
    private String model;
    private StepStatus status;
    private int attempt = 1;
    private String retryOf;
    private boolean hasStart;
    private long startNs;
    private boolean hasEnd;
    private long endNs;
    private boolean hasInputTokens;
    private long inputTokens;
    private boolean hasOutputTokens;
    private long outputTokens;
    private boolean hasCost;
    private double costUsd;
    private Long cacheReadTokens;
    private Long reasoningTokens;

    void add(StepRecord s) {
      if (s.parentStepId() != null) parentStepId = s.parentStepId();
      if (s.type() != null) type = s.type();
      if (s.model() != null) model = s.model();
      if (s.status() != null) status = s.status();
      if (s.attempt() != null) attempt = s.attempt();
      if (s.retryOf() != null) retryOf = s.retryOf();
      if (s.startNanos() != null) {
        hasStart = true;
        startNs = s.startNanos();
      }
      if (s.endNanos() != null) {
        hasEnd = true;
        endNs = s.endNanos();
      }
      if (s.inputTokens() != null) {
        hasInputTokens = true;
        inputTokens = s.inputTokens();
      }
      if (s.outputTokens() != null) {
        hasOutputTokens = true;
        outputTokens = s.outputTokens();
      }
      if (s.costUsd() != null) {
        hasCost = true;
        costUsd = s.costUsd();
      }
      if (s.cacheReadTokens() != null) cacheReadTokens = s.cacheReadTokens();
      if (s.reasoningTokens() != null) reasoningTokens = s.reasoningTokens();
    }

    /**
     * The cost of the step's tokens at its model's price when it starts (else ends), which the step
     * now has; null when a record sent a cost, no tokens are known or the model has no price. As
     * {@code SqlPrices} prices a stored step.
     */
    Double price(PriceTable table) {
      if (hasCost || (!hasInputTokens && !hasOutputTokens)) return null;
      ModelPrice price = table.find(model, hasStart ? startNs : hasEnd ? endNs : Times.nowNanos());
      if (price == null) return null;
      costUsd = price.cost(hasInputTokens ? inputTokens : null, hasOutputTokens ? outputTokens : null,
          cacheReadTokens, reasoningTokens);
      hasCost = true;
      return costUsd;
    }

    /** As {@link RunTotals.Step#read} reads the stored row. */
    RunTotals.Step step(String runId, String stepId) {
      // Sql.stepDurationMs
      boolean timed = hasStart && hasEnd && endNs >= startNs;
      StepRow row = new StepRow(runId, type == null ? "custom" : type, Rollup.dim(model),
          status == StepStatus.ERROR || status == StepStatus.TIMEOUT, retryOf != null || attempt > 1,
          timed ? (double) (endNs - startNs) / 1000000.0 : null, timed ? endNs - startNs : null, inputTokens,
          outputTokens, costUsd);
      return new RunTotals.Step(row, stepId, parentStepId, retryOf, attempt, hasStart ? startNs : null,
          hasInputTokens ? inputTokens : null, hasOutputTokens ? outputTokens : null, hasCost ? costUsd : null);
    }
  }
}
