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

/** Projects, API keys, users and sessions. Table and column names here are constants, never input. */
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
        "INSERT INTO api_keys (secret_hash, public_id, project_id, scopes, name, created_ns, created_by, expires_ns)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      Sql.setString(ps, 1, k.secretHash());
      Sql.setString(ps, 2, k.publicId());
      Sql.setString(ps, 3, k.projectId());
      Sql.setString(ps, 4, k.scopes().stream().map(Scope::wire).sorted().collect(Collectors.joining(",")));
      Sql.setString(ps, 5, k.name());
      ps.setLong(6, Times.toNanos(k.createdAt()));
      Sql.setString(ps, 7, k.createdBy());
      Sql.setLong(ps, 8, k.expiresAt() == null ? null : Times.toNanos(k.expiresAt()));
      ps.executeUpdate();
    }
  }

  Optional<ApiKey> apiKey(Connection c, String column, String value) throws SQLException {
    List<ApiKey> keys = apiKeys(c, column + " = ?", value);
    return keys.isEmpty() ? Optional.empty() : Optional.of(keys.get(0));
  }

  List<ApiKey> apiKeys(Connection c, String where, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT secret_hash, public_id, project_id, scopes, name, created_ns, created_by, last_used_ns, expires_ns,"
            + " revoked_ns FROM api_keys WHERE " + where + " ORDER BY created_ns DESC, public_id")) {
      Sql.setString(ps, 1, value);
      try (ResultSet rs = ps.executeQuery()) {
        List<ApiKey> out = new ArrayList<>();
        while (rs.next()) out.add(apiKey(rs));
        return out;
      }
    }
  }

  private static ApiKey apiKey(ResultSet rs) throws SQLException {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String s : rs.getString("scopes").split(",")) {
      Scope scope = Scope.parse(s);
      if (scope != null) scopes.add(scope);
    }
    return new ApiKey(rs.getString("public_id"), rs.getString("secret_hash"), rs.getString("project_id"), scopes,
        rs.getString("name"), Times.toInstant(rs.getLong("created_ns")), rs.getString("created_by"),
        Sql.getInstant(rs, "last_used_ns"), Sql.getInstant(rs, "expires_ns"), Sql.getInstant(rs, "revoked_ns"));
  }

  boolean revokeApiKey(Connection c, String projectId, String publicId, long atNs) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE api_keys SET revoked_ns = ? WHERE project_id = ? AND public_id = ? AND revoked_ns IS NULL")) {
      ps.setLong(1, atNs);
      Sql.setString(ps, 2, projectId);
      Sql.setString(ps, 3, publicId);
      return ps.executeUpdate() == 1;
    }
  }

  void touchApiKey(Connection c, String secretHash, long atNs) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET last_used_ns = ? WHERE secret_hash = ?")) {
      ps.setLong(1, atNs);
      Sql.setString(ps, 2, secretHash);
      ps.executeUpdate();
    }
  }

  boolean hasApiKeys(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_keys LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  List<User> users(Connection c, String where, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT username, password_hash, created_ns, owner, disabled, sso_subject FROM users"
            + (where == null ? "" : " WHERE " + where) + " ORDER BY username")) {
      if (where != null) Sql.setString(ps, 1, value);
      try (ResultSet rs = ps.executeQuery()) {
        List<User> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new User(rs.getString(1), rs.getString(2), Times.toInstant(rs.getLong(3)), rs.getInt(4) != 0,
              rs.getInt(5) != 0, rs.getString(6)));
        }
        return out;
      }
    }
  }

  Optional<User> user(Connection c, String username) throws SQLException {
    return users(c, "username = ?", username).stream().findFirst();
  }

  void putUser(Connection c, User u) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO users (username, password_hash, created_ns, owner, disabled, sso_subject) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, owner = excluded.owner,"
            + " disabled = excluded.disabled, sso_subject = excluded.sso_subject")) {
      Sql.setString(ps, 1, u.username());
      Sql.setString(ps, 2, u.passwordHash() == null ? "" : u.passwordHash());
      ps.setLong(3, Times.toNanos(u.createdAt()));
      ps.setInt(4, u.owner() ? 1 : 0);
      ps.setInt(5, u.disabled() ? 1 : 0);
      Sql.setString(ps, 6, u.ssoSubject());
      ps.executeUpdate();
    }
  }

  /** Deletes the user's rows in {@code table}; returns how many. */
  int deleteByUsername(Connection c, String table, String username) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE username = ?")) {
      Sql.setString(ps, 1, username);
      return ps.executeUpdate();
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
