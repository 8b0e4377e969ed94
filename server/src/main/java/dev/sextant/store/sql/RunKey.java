package dev.sextant.store.sql;

/** A run's key; ordered, because every writer must lock runs in the same order. */
record RunKey(String projectId, String runId) implements Comparable<RunKey> {
  @Override
  public int compareTo(RunKey o) {
    int c = projectId.compareTo(o.projectId);
    return c != 0 ? c : runId.compareTo(o.runId);
  }
}
