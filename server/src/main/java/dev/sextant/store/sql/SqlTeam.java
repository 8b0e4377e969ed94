package dev.sextant.store.sql;

import dev.sextant.model.ProjectRole;
import dev.sextant.model.Times;
import dev.sextant.store.AuditEvent;
import dev.sextant.store.AuditQuery;
import dev.sextant.store.Invite;
import dev.sextant.store.Membership;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Memberships, invites and the audit log. */
final class SqlTeam {

  List<Membership> memberships(Connection c, String column, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT project_id, username, role, created_ns FROM memberships WHERE " + column + " = ?"
            + " ORDER BY project_id, username")) {
      Sql.setString(ps, 1, value);
      try (ResultSet rs = ps.executeQuery()) {
        List<Membership> out = new ArrayList<>();
        while (rs.next()) {
          ProjectRole role = ProjectRole.parse(rs.getString(3));
          if (role == null) continue; // a role from a newer version; this one grants nothing for it
          out.add(new Membership(rs.getString(1), rs.getString(2), role, Times.toInstant(rs.getLong(4))));
        }
        return out;
      }
    }
  }

  void putMembership(Connection c, Membership m) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO memberships (project_id, username, role, created_ns) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (project_id, username) DO UPDATE SET role = excluded.role")) {
      Sql.setString(ps, 1, m.projectId());
      Sql.setString(ps, 2, m.username());
      Sql.setString(ps, 3, m.role().wire());
      ps.setLong(4, Times.toNanos(m.createdAt()));
      ps.executeUpdate();
    }
  }

  boolean deleteMembership(Connection c, String projectId, String username) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM memberships WHERE project_id = ? AND username = ?")) {
      Sql.setString(ps, 1, projectId);
      Sql.setString(ps, 2, username);
      return ps.executeUpdate() > 0;
    }
  }

  void putInvite(Connection c, Invite i) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO invites (invite_id, token_hash, project_id, role, created_by, created_ns, expires_ns)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      Sql.setString(ps, 1, i.inviteId());
      Sql.setString(ps, 2, i.tokenHash());
      Sql.setString(ps, 3, i.projectId());
      Sql.setString(ps, 4, i.role().wire());
      Sql.setString(ps, 5, i.createdBy());
      ps.setLong(6, Times.toNanos(i.createdAt()));
      ps.setLong(7, Times.toNanos(i.expiresAt()));
      ps.executeUpdate();
    }
  }

  Optional<Invite> inviteByTokenHash(Connection c, String tokenHash) throws SQLException {
    List<Invite> found = invites(c, "token_hash = ?", tokenHash);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  List<Invite> openInvites(Connection c, String projectId, Instant now) throws SQLException {
    List<Invite> out = new ArrayList<>();
    for (Invite i : invites(c, "project_id = ?", projectId)) if (i.usableAt(now)) out.add(i);
    return out;
  }

  private List<Invite> invites(Connection c, String where, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT invite_id, token_hash, project_id, role, created_by, created_ns, expires_ns, used_ns, used_by"
            + " FROM invites WHERE " + where + " ORDER BY created_ns DESC")) {
      Sql.setString(ps, 1, value);
      try (ResultSet rs = ps.executeQuery()) {
        List<Invite> out = new ArrayList<>();
        while (rs.next()) {
          ProjectRole role = ProjectRole.parse(rs.getString("role"));
          out.add(new Invite(rs.getString("invite_id"), rs.getString("token_hash"), rs.getString("project_id"),
              role == null ? ProjectRole.VIEWER : role, rs.getString("created_by"),
              Times.toInstant(rs.getLong("created_ns")), Times.toInstant(rs.getLong("expires_ns")),
              Sql.getInstant(rs, "used_ns"), rs.getString("used_by")));
        }
        return out;
      }
    }
  }

  boolean deleteInvite(Connection c, String projectId, String inviteId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM invites WHERE project_id = ? AND invite_id = ? AND used_ns IS NULL")) {
      Sql.setString(ps, 1, projectId);
      Sql.setString(ps, 2, inviteId);
      return ps.executeUpdate() > 0;
    }
  }

  /** Marks the invite used if it still is usable at {@code now}; false when another request was first. */
  boolean useInvite(Connection c, String tokenHash, String username, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE invites SET used_ns = ?, used_by = ? WHERE token_hash = ? AND used_ns IS NULL AND expires_ns > ?")) {
      ps.setLong(1, Times.toNanos(now));
      Sql.setString(ps, 2, username);
      Sql.setString(ps, 3, tokenHash);
      ps.setLong(4, Times.toNanos(now));
      return ps.executeUpdate() == 1;
    }
  }

  void audit(Connection c, AuditEvent e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO audit_log (time_ns, actor, action, project_id, target, address, detail)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, Times.toNanos(e.time()));
      Sql.setString(ps, 2, e.actor());
      Sql.setString(ps, 3, e.action());
      Sql.setString(ps, 4, e.projectId());
      Sql.setString(ps, 5, e.target());
      Sql.setString(ps, 6, e.address());
      Sql.setString(ps, 7, e.detail());
      ps.executeUpdate();
    }
  }

  List<AuditEvent> auditEvents(Connection c, AuditQuery q) throws SQLException {
    StringBuilder sql = new StringBuilder(
        "SELECT audit_id, time_ns, actor, action, project_id, target, address, detail FROM audit_log WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (q.projectId() != null) {
      sql.append(" AND project_id = ?");
      args.add(q.projectId());
    }
    if (q.actor() != null) {
      sql.append(" AND actor = ?");
      args.add(q.actor());
    }
    if (q.actionPrefix() != null) {
      sql.append(" AND (action = ? OR action LIKE ? ESCAPE '\\')");
      args.add(q.actionPrefix());
      args.add(Sql.escapeLike(q.actionPrefix()) + ".%");
    }
    if (q.from() != null) {
      sql.append(" AND time_ns >= ?");
      args.add(Times.toNanos(q.from()));
    }
    if (q.to() != null) {
      sql.append(" AND time_ns < ?");
      args.add(Times.toNanos(q.to()));
    }
    if (q.beforeId() > 0) {
      sql.append(" AND audit_id < ?");
      args.add(q.beforeId());
    }
    sql.append(" ORDER BY audit_id DESC LIMIT ").append(q.limit());
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        Object a = args.get(i);
        if (a instanceof Long) ps.setLong(i + 1, (Long) a);
        else Sql.setString(ps, i + 1, (String) a);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<AuditEvent> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new AuditEvent(rs.getLong(1), Times.toInstant(rs.getLong(2)), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
        }
        return out;
      }
    }
  }

  int purgeAudit(Connection c, Instant before) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit_log WHERE time_ns < ?")) {
      ps.setLong(1, Times.toNanos(before));
      return ps.executeUpdate();
    }
  }
}
