package dev.sextant.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded, thread-safe memory of recently seen ids and a value for each, oldest forgotten first.
 * Decoders use it for what a protocol leaves implicit and a later message refers back to (the
 * trace of a run that an update names only by its own id; envelope ids already ingested). It is a
 * per-process convenience: correctness never depends on an entry still being there.
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

  public synchronized void put(String id, String value) {
    entries.put(id, value);
  }

  /** The value remembered for {@code id}, or null. */
  public synchronized String get(String id) {
    return entries.get(id);
  }

  public synchronized boolean contains(String id) {
    return entries.containsKey(id);
  }
}
