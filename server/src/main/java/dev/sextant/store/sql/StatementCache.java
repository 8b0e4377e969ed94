package dev.sextant.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps the write path's prepared statements across writes where one connection does every write
 * (SQLite), because preparing the larger statements costs about as much as running them; elsewhere
 * each write prepares its own, as pooled connections and the driver's own cache (PostgreSQL) expect.
 *
 * <p>Only for a backend whose writes are serialised on one connection: a statement is handed to one
 * write at a time. A different connection (the store reopened it) drops every cached statement.
 */
final class StatementCache {
  private final boolean enabled;
  private final Map<String, PreparedStatement> cached = new HashMap<>();
  private Connection owner;

  StatementCache(boolean enabled) {
    this.enabled = enabled;
  }

  /** A statement for {@code sql} on {@code c}; closing the returned handle keeps a cached statement open. */
  synchronized Prepared prepare(Connection c, String sql) throws SQLException {
    if (!enabled) return new Prepared(c.prepareStatement(sql), false);
    if (c != owner) {
      closeAll();
      owner = c;
    }
    PreparedStatement ps = cached.get(sql);
    if (ps == null || ps.isClosed()) {
      ps = c.prepareStatement(sql);
      cached.put(sql, ps);
    } else {
      ps.clearBatch();
      ps.clearParameters();
    }
    return new Prepared(ps, true);
  }

  private void closeAll() {
    for (PreparedStatement ps : cached.values()) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // the connection is gone or going; nothing to release
      }
    }
    cached.clear();
  }

  /** A statement in use by one write. */
  record Prepared(PreparedStatement statement, boolean cached) implements AutoCloseable {
    @Override
    public void close() throws SQLException {
      if (!cached) statement.close();
    }
  }
}
