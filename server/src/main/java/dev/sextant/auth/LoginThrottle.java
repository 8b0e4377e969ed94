package dev.sextant.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Limits failed logins per account and per client address within a sliding window. Unknown
 * usernames are counted like known ones, so the answer never tells which accounts exist. A
 * success clears the account's failures (not the address's). Memory is bounded: past
 * {@link #MAX_KEYS} keys, the oldest are forgotten.
 */
public final class LoginThrottle {
  public static final Duration WINDOW = Duration.ofMinutes(15);
  public static final int MAX_FAILURES_PER_ACCOUNT = 5;
  public static final int MAX_FAILURES_PER_ADDRESS = 20;
  static final int MAX_KEYS = 100_000;

  private final Clock clock;
  private final Map<String, Deque<Long>> failures = new HashMap<>();

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** Seconds the caller must wait before trying again, or 0 when it may try now. */
  public synchronized long retryAfterSeconds(String username, String address) {
    long now = clock.millis();
    long wait = Math.max(wait(account(username), MAX_FAILURES_PER_ACCOUNT, now),
        wait(address(address), MAX_FAILURES_PER_ADDRESS, now));
    return wait == 0 ? 0 : Math.max(1, (wait + 999) / 1000);
  }

  public synchronized void failed(String username, String address) {
    long now = clock.millis();
    if (failures.size() >= MAX_KEYS) forgetOldest(now);
    failures.computeIfAbsent(account(username), k -> new ArrayDeque<>()).addLast(now);
    failures.computeIfAbsent(address(address), k -> new ArrayDeque<>()).addLast(now);
  }

  public synchronized void succeeded(String username) {
    failures.remove(account(username));
  }

  /** Milliseconds until {@code key} is under {@code max} failures in the window again. */
  private long wait(String key, int max, long now) {
    Deque<Long> times = failures.get(key);
    if (times == null) return 0;
    while (!times.isEmpty() && times.peekFirst() <= now - WINDOW.toMillis()) times.pollFirst();
    if (times.isEmpty()) {
      failures.remove(key);
      return 0;
    }
    if (times.size() < max) return 0;
    // the failure that must leave the window for the count to drop below max
    long[] sorted = times.stream().mapToLong(Long::longValue).toArray();
    return sorted[times.size() - max] + WINDOW.toMillis() - now;
  }

  private void forgetOldest(long now) {
    Iterator<Map.Entry<String, Deque<Long>>> it = failures.entrySet().iterator();
    while (it.hasNext()) {
      Deque<Long> times = it.next().getValue();
      if (times.isEmpty() || times.peekLast() <= now - WINDOW.toMillis()) it.remove();
    }
    it = failures.entrySet().iterator();
    while (failures.size() >= MAX_KEYS / 2 && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  private static String account(String username) {
    return "u\n" + username.toLowerCase(java.util.Locale.ROOT);
  }

  private static String address(String address) {
    return "a\n" + address;
  }
}
