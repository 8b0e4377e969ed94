package dev.sextant.store.sql;

import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Scope;
import dev.sextant.model.Times;
import dev.sextant.store.ApiKey;
import dev.sextant.store.Project;
import dev.sextant.store.Retention;
import dev.sextant.store.Session;
import dev.sextant.store.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Projects, API keys, users and sessions. */
final class SqlAccounts {
  private static final String PROJECT_COLUMNS =
      "project_id, name, content_policy, created_ns, raw_retention_days, rollup_retention_days";

  List<Project> projects(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + PROJECT_COLUMNS + " FROM projects ORDER BY project_id");
        ResultSet rs = ps.executeQuery()) {
      List<Project> out = new ArrayList<>();
      while (rs.next()) out.add(project(rs));
      return out;
    }
  }

  Optional<Project> project(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + PROJECT_COLUMNS + " FROM projects WHERE project_id = ?")) {
      Sql.setString(ps, 1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(project(rs)) : Optional.empty();
      }
    }
  }

  void putProject(Connection c, Project p) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO projects (project_id, name, content_policy, created_ns, raw_retention_days,"
            + " rollup_retention_days) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (project_id) DO UPDATE SET name = excluded.name, content_policy = excluded.content_policy,"
            + " raw_retention_days = excluded.raw_retention_days,"
            + " rollup_retention_days = excluded.rollup_retention_days")) {
      Sql.setString(ps, 1, p.projectId());
      Sql.setString(ps, 2, p.name());
      Sql.setString(ps, 3, p.contentPolicy().wire());
      ps.setLong(4, Times.toNanos(p.createdAt()));
      Sql.setInt(ps, 5, p.retention().rawDays());
      Sql.setInt(ps, 6, p.retention().rollupDays());
      ps.executeUpdate();
    }
  }

  byte[] projectSecret(Connection c, String projectId, byte[] candidate) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO project_secrets (project_id, secret)"
        + " VALUES (?, ?) ON CONFLICT (project_id) DO NOTHING")) {
      Sql.setString(ps, 1, projectId);
      ps.setBytes(2, candidate);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM project_secrets WHERE project_id = ?")) {
      Sql.setString(ps, 1, projectId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBytes(1);
      }
    }
  }

  void putApiKey(Connection c, ApiKey k) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO api_keys (secret_hash, public_id, project_id, scopes, name, created_ns) VALUES (?, ?, ?, ?, ?, ?)")) {
      Sql.setString(ps, 1, k.secretHash());
      Sql.setString(ps, 2, k.publicId());
      Sql.setString(ps, 3, k.projectId());
      Sql.setString(ps, 4, k.scopes().stream().map(Scope::wire).sorted().collect(Collectors.joining(",")));
      Sql.setString(ps, 5, k.name());
      ps.setLong(6, Times.toNanos(k.createdAt()));
      ps.executeUpdate();
    }
  }

  Optional<ApiKey> apiKey(Connection c, String column, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT secret_hash, public_id, project_id, scopes, name, created_ns FROM api_keys WHERE " + column + " = ?")) {
      Sql.setString(ps, 1, value);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String s : rs.getString("scopes").split(",")) {
          Scope scope = Scope.parse(s);
          if (scope != null) scopes.add(scope);
        }
        return Optional.of(new ApiKey(rs.getString("public_id"), rs.getString("secret_hash"),
            rs.getString("project_id"), scopes, rs.getString("name"), Times.toInstant(rs.getLong("created_ns"))));
      }
    }
  }

  boolean hasApiKeys(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_keys LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  Optional<User> user(Connection c, String username) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT username, password_hash, created_ns FROM users WHERE username = ?")) {
      Sql.setString(ps, 1, username);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new User(rs.getString(1), rs.getString(2), Times.toInstant(rs.getLong(3))))
            : Optional.empty();
      }
    }
  }

  void putUser(Connection c, User u) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO users (username, password_hash, created_ns) VALUES (?, ?, ?)"
            + " ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash")) {
      Sql.setString(ps, 1, u.username());
      Sql.setString(ps, 2, u.passwordHash());
      ps.setLong(3, Times.toNanos(u.createdAt()));
      ps.executeUpdate();
    }
  }

  void putSession(Connection c, Session s) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO sessions (token_hash, username, expires_ns) VALUES (?, ?, ?)"
            + " ON CONFLICT (token_hash) DO UPDATE SET expires_ns = excluded.expires_ns")) {
      Sql.setString(ps, 1, s.tokenHash());
      Sql.setString(ps, 2, s.username());
      ps.setLong(3, Times.toNanos(s.expiresAt()));
      ps.executeUpdate();
    }
  }

  Optional<Session> session(Connection c, String tokenHash) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT token_hash, username, expires_ns FROM sessions WHERE token_hash = ?")) {
      Sql.setString(ps, 1, tokenHash);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Session(rs.getString(1), rs.getString(2), Times.toInstant(rs.getLong(3))))
            : Optional.empty();
      }
    }
  }

  void deleteSession(Connection c, String tokenHash) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE token_hash = ?")) {
      Sql.setString(ps, 1, tokenHash);
      ps.executeUpdate();
    }
  }

  private static Project project(ResultSet rs) throws SQLException {
    ContentPolicy policy = ContentPolicy.parse(rs.getString("content_policy"));
    return new Project(rs.getString("project_id"), rs.getString("name"),
        policy == null ? ContentPolicy.METADATA_ONLY : policy, Times.toInstant(rs.getLong("created_ns")),
        new Retention(days(rs, "raw_retention_days"), days(rs, "rollup_retention_days")));
  }

  private static Integer days(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }
}
