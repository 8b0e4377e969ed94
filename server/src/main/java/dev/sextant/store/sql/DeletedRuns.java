package dev.sextant.store.sql;

import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import dev.sextant.store.WriteBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the records of runs that retention deleted out of a write: a run without a row all of
 * whose records in this write lie before where the project's raw data begins. Written again, such a
 * run would be counted a second time in the rollups, which still hold it. Runs that have a row, and
 * runs with any record after the cutoff, are kept. Every backend filters its writes through it.
 */
public final class DeletedRuns {
  private DeletedRuns() {}

  /** A read of the store that may fail as the store fails. */
  @FunctionalInterface
  public interface Read<T, E extends Exception> {
    T apply(String projectId, Set<String> runIds) throws E;
  }

  /**
   * @param rawFrom where the project's raw runs begin, null when retention deleted none
   *     ({@code runIds} is empty)
   * @param withRow which of the runs have a row
   */
  public static <E extends Exception> List<WriteBatch> without(List<WriteBatch> batches,
      Read<Long, E> rawFrom, Read<Set<String>, E> withRow) throws E {
    Map<String, Long> from = new HashMap<>();
    Map<String, Set<String>> old = new HashMap<>();
    Map<String, Set<String>> recent = new HashMap<>();
    for (WriteBatch b : batches) {
      if (!from.containsKey(b.projectId())) from.put(b.projectId(), rawFrom.apply(b.projectId(), Set.of()));
      Long cutoff = from.get(b.projectId());
      if (cutoff == null) continue;
      Set<String> o = old.computeIfAbsent(b.projectId(), k -> new HashSet<>());
      Set<String> r = recent.computeIfAbsent(b.projectId(), k -> new HashSet<>());
      for (RunRecord run : b.runs()) sort(run.runId(), time(run.startNanos(), run.endNanos()), cutoff, o, r);
      for (StepRecord step : b.steps()) sort(step.runId(), time(step.startNanos(), step.endNanos()), cutoff, o, r);
    }
    Map<String, Set<String>> gone = new HashMap<>();
    for (Map.Entry<String, Set<String>> e : old.entrySet()) {
      Set<String> candidates = new HashSet<>(e.getValue());
      candidates.removeAll(recent.get(e.getKey()));
      if (candidates.isEmpty()) continue;
      candidates.removeAll(withRow.apply(e.getKey(), candidates));
      if (!candidates.isEmpty()) gone.put(e.getKey(), candidates);
    }
    if (gone.isEmpty()) return batches;
    List<WriteBatch> kept = new ArrayList<>(batches.size());
    for (WriteBatch b : batches) {
      Set<String> drop = gone.getOrDefault(b.projectId(), Set.of());
      kept.add(drop.isEmpty() ? b : new WriteBatch(b.projectId(),
          b.runs().stream().filter(r -> !drop.contains(r.runId())).toList(),
          b.steps().stream().filter(s -> !drop.contains(s.runId())).toList()));
    }
    return kept;
  }

  private static Long time(Long start, Long end) {
    return start != null ? start : end;
  }

  private static void sort(String runId, Long time, long from, Set<String> old, Set<String> recent) {
    if (time == null || time >= from) recent.add(runId);
    else old.add(runId);
  }
}
