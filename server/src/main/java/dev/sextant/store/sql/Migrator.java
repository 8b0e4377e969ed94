package dev.sextant.store.sql;

import dev.sextant.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Applies numbered SQL files ({@code V1.sql}, {@code V2.sql}, …) from the dialect's folder that the
 * database has not seen yet, each in its own transaction, recording them in {@code schema_version}.
 */
final class Migrator {
  private final Connections connections;
  private final Dialect dialect;

  Migrator(Connections connections, Dialect dialect) {
    this.connections = connections;
    this.dialect = dialect;
  }

  void migrate() {
    connections.inTransaction(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_ns BIGINT NOT NULL)");
      }
      return null;
    });
    for (int v = 1; ; v++) {
      String sql = load(v);
      if (sql == null) return;
      int version = v;
      connections.inTransaction(c -> {
        dialect.lockForMigration(c);
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM schema_version WHERE version = ?")) {
          q.setInt(1, version);
          try (ResultSet rs = q.executeQuery()) {
            if (rs.next()) return null;
          }
        }
        try (Statement s = c.createStatement()) {
          for (String stmt : sql.split(";\\s*(\\r?\\n|$)")) {
            if (!stmt.isBlank()) s.execute(stmt);
          }
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO schema_version (version, applied_ns) VALUES (?, ?)")) {
          ins.setInt(1, version);
          ins.setLong(2, System.currentTimeMillis() * 1_000_000L);
          ins.executeUpdate();
        }
        return null;
      });
    }
  }

  private String load(int version) {
    String path = dialect.migrationsPath() + "/V" + version + ".sql";
    try (InputStream in = Migrator.class.getClassLoader().getResourceAsStream(path)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StoreException("cannot read migration " + path, e);
    }
  }

}
