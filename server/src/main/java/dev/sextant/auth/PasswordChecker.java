package dev.sextant.auth;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Checks passwords on a few threads of their own, with a short queue, so that logins (bcrypt is
 * slow on purpose) cannot take the cores that serve ingest and queries. A login that finds the
 * queue full is refused at once. An unknown user costs the same as a wrong password, against a
 * hash made for the purpose, so timing does not tell which usernames exist. The threads are
 * daemons: a check in progress never holds the process up.
 */
public final class PasswordChecker {
  static final int QUEUE = 16;
  private static final String DUMMY_HASH = Secrets.hashPassword(Secrets.random(24));

  private final ThreadPoolExecutor pool;

  public PasswordChecker() {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
      Thread t = new Thread(r, "sextant-password-check");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Whether {@code password} matches {@code storedHash}; null {@code storedHash} (no such user)
   * takes the same time and is never a match.
   *
   * @throws RejectedExecutionException when as many checks as the queue holds are waiting
   */
  public CompletableFuture<Boolean> check(String password, String storedHash) {
    return CompletableFuture.supplyAsync(() -> {
      // a user without a password (single sign-on) costs the same as any other
      boolean usable = storedHash != null && !storedHash.isEmpty();
      boolean match = Secrets.verifyPassword(password, usable ? storedHash : DUMMY_HASH);
      return usable && match;
    }, pool);
  }
}
