package dev.sextant.store;

import java.util.Optional;

/** Deleting what retention no longer keeps, in small batches, and returning the space. */
public interface RetentionStore {
  /**
   * Deletes up to {@code maxRuns} of the project's oldest runs (with their steps) that started
   * before {@code beforeNanos}, in one transaction; rollups keep counting them. Returns how many
   * were deleted: fewer than {@code maxRuns} means none is left.
   */
  int expireRuns(String projectId, long beforeNanos, int maxRuns);

  /**
   * Deletes up to {@code maxBuckets} of the project's oldest rollup buckets per tier: minute
   * buckets that start before {@code minutesBeforeNanos}, hour and day buckets that end by
   * {@code beforeNanos}. Returns how many buckets were deleted.
   */
  int expireRollups(String projectId, long beforeNanos, long minutesBeforeNanos, int maxBuckets);

  /** Returns pages freed by deletions to the file system where the backend needs to be asked. */
  void reclaimSpace();

  /** Runs that started before this may have been deleted by retention; empty when none was. */
  Optional<java.time.Instant> rawDataFrom(String projectId);
}
