package dev.sextant.store.sqlite;

import dev.sextant.store.StoreException;
import dev.sextant.store.StoreFullException;
import dev.sextant.store.sql.Connections;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * SQLite allows one writer at a time, so there is exactly one write connection, guarded by a
 * lock, and a small pool of read connections that WAL mode lets run beside it.
 *
 * <p>With {@code synchronous = FULL} (the default) SQLite itself runs with {@code NORMAL}, which
 * writes a commit to the log without waiting for the disk, and the wait is {@link #sync}: the
 * log's data synced to disk, which is what {@code FULL} adds to {@code NORMAL} in WAL mode.
 * {@link #inTransaction} syncs before it returns; the write queue's commits use {@link
 * #inTransactionUnsynced} and sync apart, one sync for every commit that came before it, while the
 * next commit is written (see server/RATIONALE.md, "The wait for the disk beside the next write").
 */
final class SqliteConnections implements Connections {
  private final String url;
  private final Path log;
  private final String synchronous;
  /** The log as {@link #sync} last opened it, and the identity of its file; guarded by this. */
  private FileChannel logChannel;
  private Object logFile;
  /**
   * Checkpoints beside the writer when commits do not wait for the disk ({@link #sync} does); null
   * when SQLite's own setting decides.
   */
  private final SqliteCheckpointer checkpointer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final BlockingQueue<Connection> readers;
  private final List<Connection> all = new ArrayList<>();
  private final int readerCount;
  private Connection writer;
  private volatile boolean closed;

  /**
   * @param file the database file
   * @param synchronous SQLite's {@code synchronous}: {@code FULL} waits for the disk in {@link
   *     #sync}, anything else is SQLite's own and {@link #sync} does nothing
   */
  SqliteConnections(Path file, String synchronous, int readerCount) {
    this.url = "jdbc:sqlite:" + file;
    this.log = file.resolveSibling(file.getFileName() + "-wal");
    boolean syncsApart = "FULL".equalsIgnoreCase(synchronous);
    this.synchronous = syncsApart ? "NORMAL" : synchronous;
    this.checkpointer = syncsApart ? new SqliteCheckpointer(() -> open(Role.CHECKPOINT)) : null;
    this.readerCount = readerCount;
    this.readers = new ArrayBlockingQueue<>(readerCount);
  }

  @Override
  public <T> T inTransaction(SqlWork<T> work) {
    T result = inTransactionUnsynced(work);
    sync();
    return result;
  }

  @Override
  public boolean syncsApart() {
    return checkpointer != null;
  }

  /**
   * Syncs the write-ahead log's data to disk. A log that is gone was folded into the database file
   * by the last connection's close, and that checkpoint synced the file.
   *
   * <p>The log stays open between syncs, and is opened again only when the file at its path is
   * another (SQLite removes the log when its last connection closes): a descriptor open before a
   * failed write-back reports that failure on its next sync even when another descriptor, such as
   * the one SQLite's checkpoint syncs, has reported it already; one opened after would not.
   */
  @Override
  public synchronized void sync() {
    if (checkpointer == null) return;
    try {
      Object file = Files.readAttributes(log, BasicFileAttributes.class).fileKey();
      if (logChannel == null || file == null || !file.equals(logFile)) {
        closeLog();
        logChannel = FileChannel.open(log, StandardOpenOption.WRITE);
        logFile = file;
      }
      logChannel.force(false);
    } catch (NoSuchFileException e) {
      // no log to sync: see above
      closeLog();
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("No space left")) {
        throw new StoreFullException("SQLite's log could not be synced, the disk is full: " + e.getMessage(), e);
      }
      throw new StoreException("SQLite's log could not be synced to disk: " + e.getMessage(), e);
    }
  }

  private void closeLog() {
    FileChannel c = logChannel;
    logChannel = null;
    logFile = null;
    if (c == null) return;
    try {
      c.close();
    } catch (IOException ignored) {
      // only releasing the descriptor
    }
  }

  @Override
  public <T> T inTransactionUnsynced(SqlWork<T> work) {
    writeLock.lock();
    try {
      Connection c = writer();
      try {
        T result = work.apply(c);
        c.commit();
        if (checkpointer != null) checkpointer.committed();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(c);
        // A failed write may leave the connection out of step with SQLite: after SQLITE_FULL, SQLite
        // rolls the transaction back itself, and the driver then ran the next write's statements
        // outside any transaction. A fresh connection for the next write cannot be out of step.
        discardWriter();
        if (e instanceof RuntimeException) throw (RuntimeException) e;
        if (isFull((SQLException) e)) throw new StoreFullException("SQLite write failed, the disk is full: " + e.getMessage(), e);
        throw new StoreException("SQLite write failed: " + e.getMessage(), e);
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Opening a connection runs pragmas that may write (the log's index, the header): after a write
   * found the disk full, the writer's next connection can fail the same way, and says so.
   */
  private StoreException cannotOpen(SQLException e) {
    String message = "cannot open SQLite database " + url + ": " + e.getMessage();
    return isFull(e) ? new StoreFullException(message + " (the disk is full)", e) : new StoreException(message, e);
  }

  /** SQLITE_FULL (13), also as the primary code of an extended one: no room on the disk or under the size limit. */
  static boolean isFull(SQLException e) {
    return (e.getErrorCode() & 0xff) == 13 || String.valueOf(e.getMessage()).contains("SQLITE_FULL");
  }

  @Override
  public <T> T read(SqlWork<T> work) {
    Connection c = borrow();
    try {
      return work.apply(c);
    } catch (SQLException e) {
      throw new StoreException("SQLite read failed: " + e.getMessage(), e);
    } finally {
      readers.offer(c);
    }
  }

  private Connection writer() {
    if (closed) throw new StoreException("store is closed");
    if (writer == null) {
      writer = open(Role.WRITER);
      try {
        writer.setAutoCommit(false);
      } catch (SQLException e) {
        throw cannotOpen(e);
      }
    }
    return writer;
  }

  private Connection borrow() {
    if (closed) throw new StoreException("store is closed");
    Connection c = readers.poll();
    if (c != null) return c;
    synchronized (all) {
      if (all.size() < readerCount + (writer == null ? 0 : 1)) {
        return open(Role.READER);
      }
    }
    try {
      c = readers.poll(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a SQLite connection", e);
    }
    if (c == null) throw new StoreException("no SQLite read connection free within 30 s");
    return c;
  }

  private enum Role { WRITER, READER, CHECKPOINT }

  /** The page cache of each read connection, in KiB. */
  static final int READ_CACHE_KIB = 65536;

  /**
   * The writer's page cache, in KiB: smaller than a reader's. A commit drops from the cache every
   * page numbered past the database's end, and most write transactions leave one there: a b-tree
   * balance that puts new sibling pages in order swaps their numbers through the lock-byte page's
   * (262,145 with 4 KiB pages). The drop then walks the whole cache, at every commit, so a larger
   * cache makes each commit longer, and a smaller one makes the writer read more pages back from
   * the file (server/RATIONALE.md, "The writer's page cache").
   */
  static final int WRITER_CACHE_KIB = 32768;

  private Connection open(Role role) {
    try {
      // A connection is used by one thread at a time (the writer under its lock, a reader taken
      // from the pool), and the driver synchronises its calls on each connection: SQLite's own
      // per-connection mutex, taken around every bind and step, is left out ("multi-thread" mode).
      SQLiteConfig config = new SQLiteConfig();
      config.setOpenMode(SQLiteOpenMode.NOMUTEX);
      Connection c = DriverManager.getConnection(url, config.toProperties());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 10000");
        // takes effect only in a database without tables yet: a new one returns the pages that
        // retention frees to the file system (PRAGMA incremental_vacuum), an older one reuses them.
        // The writer alone sets it: the pragma may write the database header, and a read
        // connection opened under load doing so would make the writer's open transaction fail
        // with SQLITE_BUSY at once, whatever busy_timeout says.
        if (role == Role.WRITER) s.execute("PRAGMA auto_vacuum = INCREMENTAL");
        s.execute("PRAGMA journal_mode = WAL");
        s.execute("PRAGMA synchronous = " + synchronous);
        s.execute("PRAGMA temp_store = MEMORY");
        s.execute("PRAGMA cache_size = -" + (role == Role.WRITER ? WRITER_CACHE_KIB : READ_CACHE_KIB));
        if (role == Role.READER) s.execute("PRAGMA query_only = 1");
        if (role == Role.WRITER && checkpointer != null) {
          s.execute("PRAGMA wal_autocheckpoint = " + SqliteCheckpointer.WRITER_PAGES);
        }
      }
      // the checkpoint's connection is its own, closed by it
      if (role == Role.CHECKPOINT) return c;
      synchronized (all) {
        all.add(c);
      }
      return c;
    } catch (SQLException e) {
      throw cannotOpen(e);
    }
  }

  private void discardWriter() {
    Connection c = writer;
    writer = null;
    if (c == null) return;
    synchronized (all) {
      all.remove(c);
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // already broken; nothing to release
    }
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the next write reports it
    }
  }

  @Override
  public void close() {
    closed = true;
    if (checkpointer != null) checkpointer.close();
    synchronized (this) {
      closeLog();
    }
    writeLock.lock();
    try {
      synchronized (all) {
        for (Connection c : all) {
          try {
            c.close();
          } catch (SQLException ignored) {
            // closing anyway
          }
        }
        all.clear();
      }
      writer = null;
    } finally {
      writeLock.unlock();
    }
  }
}
