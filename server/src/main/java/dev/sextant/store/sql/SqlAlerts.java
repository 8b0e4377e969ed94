package dev.sextant.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tables {@code alert_docs} and {@code alert_log}. */
final class SqlAlerts {

  void put(Connection c, String projectId, String kind, String id, String json) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_docs (project_id, kind, id, body)"
        + " VALUES (?, ?, ?, ?) ON CONFLICT (project_id, kind, id) DO UPDATE SET body = excluded.body")) {
      ps.setString(1, projectId);
      ps.setString(2, kind);
      ps.setString(3, id);
      ps.setString(4, json);
      ps.executeUpdate();
    }
  }

  List<String> list(Connection c, String projectId, String kind) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT body FROM alert_docs WHERE project_id = ? AND kind = ? ORDER BY id")) {
      ps.setString(1, projectId);
      ps.setString(2, kind);
      return strings(ps);
    }
  }

  Optional<String> get(Connection c, String projectId, String kind, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT body FROM alert_docs WHERE project_id = ? AND kind = ? AND id = ?")) {
      ps.setString(1, projectId);
      ps.setString(2, kind);
      ps.setString(3, id);
      return strings(ps).stream().findFirst();
    }
  }

  boolean delete(Connection c, String projectId, String kind, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM alert_docs WHERE project_id = ? AND kind = ? AND id = ?")) {
      ps.setString(1, projectId);
      ps.setString(2, kind);
      ps.setString(3, id);
      return ps.executeUpdate() > 0;
    }
  }

  void append(Connection c, String projectId, String log, long atNanos, String json) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO alert_log (project_id, log, at_ns, body) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, projectId);
      ps.setString(2, log);
      ps.setLong(3, atNanos);
      ps.setString(4, json);
      ps.executeUpdate();
    }
  }

  List<String> log(Connection c, String projectId, String log, int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT body FROM alert_log WHERE project_id = ? AND log = ? ORDER BY seq DESC LIMIT ?")) {
      ps.setString(1, projectId);
      ps.setString(2, log);
      ps.setInt(3, limit);
      return strings(ps);
    }
  }

  private static List<String> strings(PreparedStatement ps) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }
}
