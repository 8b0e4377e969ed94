package dev.sextant.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded, thread-safe memory of recently seen ids and a value for each, oldest forgotten first.
 * Decoders use it for what a protocol leaves implicit and a later message refers back to (the
 * trace of a run that an update names only by its own id; envelope ids already ingested). It is a
 * per-process convenience: correctness never depends on an entry still being there.
 *
 * <p>Every entry belongs to a project: an id is found only by the project that remembered it, so
 * one project can neither borrow another's value nor learn whether an id exists elsewhere.
 */
public final class RecentIds {
  private final Map<String, String> entries;

  public RecentIds(int capacity) {
    this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > capacity;
      }
    };
  }

  public synchronized void put(String project, String id, String value) {
    entries.put(key(project, id), value);
  }

  /** The value {@code project} remembered for {@code id}, or null. */
  public synchronized String get(String project, String id) {
    return entries.get(key(project, id));
  }

  public synchronized boolean contains(String project, String id) {
    return entries.containsKey(key(project, id));
  }

  /** Project ids never hold a newline, so no pair of (project, id) shares a key with another. */
  private static String key(String project, String id) {
    return project + '\n' + id;
  }
}
