package dev.sextant.sdk;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rate-limited logging through {@code java.util.logging}: at most one record per key and interval,
 * with the number of suppressed repeats added to the next one. The keys are a small fixed set of
 * constants, so the map stays small.
 */
final class SdkLog {

  static final Logger LOGGER = Logger.getLogger("dev.sextant.sdk");

  private final SdkClock clock;
  private final long intervalNanos;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  SdkLog(SdkClock clock, long intervalNanos) {
    this.clock = clock;
    this.intervalNanos = intervalNanos;
  }

  void warn(String key, String message) {
    log(Level.WARNING, key, message, null);
  }

  void warn(String key, String message, Throwable error) {
    log(Level.WARNING, key, message, error);
  }

  void log(Level level, String key, String message, Throwable error) {
    try {
      if (!LOGGER.isLoggable(level)) {
        return;
      }
      Entry entry = entries.get(key);
      if (entry == null) {
        entry = entries.computeIfAbsent(key, k -> new Entry());
      }
      long now = clock.nanoTime();
      long next = entry.nextNanos;
      if (entry.logged && now - next < 0) {
        entry.suppressed.increment();
        return;
      }
      synchronized (entry) {
        if (entry.logged && now - entry.nextNanos < 0) {
          entry.suppressed.increment();
          return;
        }
        entry.logged = true;
        entry.nextNanos = now + intervalNanos;
      }
      long suppressed = entry.suppressed.sumThenReset();
      String text = suppressed > 0 ? message + " (" + suppressed + " similar messages suppressed)" : message;
      if (error != null) {
        LOGGER.log(level, "Sextant: " + text, error);
      } else {
        LOGGER.log(level, "Sextant: " + text);
      }
    } catch (Throwable ignored) {
      // logging must never fail the caller
    }
  }

  private static final class Entry {
    final LongAdder suppressed = new LongAdder();
    volatile long nextNanos;
    volatile boolean logged;
  }
}
