package dev.sextant.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log into the database file on a thread of its own, beside the
 * writer: every {@link #INTERVAL_MS} after a commit, a {@code PASSIVE} checkpoint on its own
 * connection, which copies what the log holds without waiting for readers or the writer, then
 * syncs the database file. The writer's own checkpoint after a commit ({@code wal_autocheckpoint})
 * still runs when the log passes {@link #WRITER_PAGES}: it copies only what came since, and lets
 * the next write start the log again from its beginning (a log is reused only once all of it is
 * in the database file, which a checkpoint beside a busy writer rarely sees).
 */
final class SqliteCheckpointer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SqliteCheckpointer.class);

  /** How often the thread checkpoints while commits come. */
  static final long INTERVAL_MS = 100;
  /** The log's length in pages past which the writer checkpoints after its commit. */
  static final int WRITER_PAGES = 4000;

  private final Supplier<Connection> open;
  private final AtomicLong commits = new AtomicLong();
  private final Object startLock = new Object();
  private volatile boolean closed;
  private volatile Thread thread;

  /** @param open opens the checkpoint's connection, not shared with anything else */
  SqliteCheckpointer(Supplier<Connection> open) {
    this.open = open;
  }

  /** Called after each commit: starts the thread on the first. */
  void committed() {
    commits.incrementAndGet();
    if (thread != null) return;
    synchronized (startLock) {
      if (thread != null || closed) return;
      thread = new Thread(this::loop, "sextant-checkpoint");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void loop() {
    Connection c = null;
    long done = 0;
    int failures = 0;
    try {
      while (!closed) {
        TimeUnit.MILLISECONDS.sleep(INTERVAL_MS << Math.min(failures, 6));
        long now = commits.get();
        if (now == done) continue;
        try {
          if (c == null) c = open.get();
          checkpoint(c);
          done = now;
          failures = 0;
        } catch (SQLException | RuntimeException e) {
          // the writer's own checkpoints go on without this one; try again later
          if (failures++ == 0) log.warn("SQLite checkpoint beside the writer failed; retrying: {}", e.toString());
          close(c);
          c = null;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close(c);
    }
  }

  private static void checkpoint(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      rs.next();
    }
  }

  private static void close(Connection c) {
    if (c == null) return;
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }

  /** Stops the thread and closes its connection. */
  @Override
  public void close() {
    Thread t;
    synchronized (startLock) {
      closed = true;
      t = thread;
    }
    if (t == null) return;
    t.interrupt();
    try {
      t.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
