package dev.sextant.store.sql;

import dev.sextant.model.Times;
import dev.sextant.store.Score;
import dev.sextant.store.ScoreQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code scores} table: scores and feedback per run or step. */
final class SqlScores {
  private static final String COLUMNS =
      "score_id, run_id, step_id, name, value, string_value, comment, source, metadata, created_ns";

  /** Inserts each score, or replaces the one with its id (a client that retries sends it again). */
  void put(Connection c, String projectId, List<Score> scores) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO scores (project_id, " + COLUMNS + ")"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, score_id) DO UPDATE SET"
        + " run_id = excluded.run_id, step_id = excluded.step_id, name = excluded.name, value = excluded.value,"
        + " string_value = excluded.string_value, comment = excluded.comment, source = excluded.source,"
        + " metadata = excluded.metadata, created_ns = excluded.created_ns")) {
      for (Score s : scores) {
        int i = 1;
        Sql.setString(ps, i++, projectId);
        Sql.setString(ps, i++, s.scoreId());
        Sql.setString(ps, i++, s.runId());
        Sql.setString(ps, i++, s.stepId());
        Sql.setString(ps, i++, s.name());
        Sql.setDouble(ps, i++, s.value());
        Sql.setString(ps, i++, s.stringValue());
        Sql.setString(ps, i++, s.comment());
        Sql.setString(ps, i++, s.source());
        Sql.setJson(ps, i++, s.metadata());
        ps.setLong(i, Times.toNanos(s.createdAt()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  List<Score> list(Connection c, String projectId, ScoreQuery q) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM scores WHERE project_id = ?");
    List<String> args = new ArrayList<>();
    args.add(projectId);
    in(sql, args, "run_id", q.runIds());
    in(sql, args, "name", q.names());
    in(sql, args, "source", q.sources());
    sql.append(" ORDER BY created_ns DESC, score_id DESC LIMIT ? OFFSET ?");
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      for (String a : args) Sql.setString(ps, i++, a);
      ps.setInt(i++, q.limit());
      ps.setInt(i, q.offset());
      return read(ps);
    }
  }

  Optional<Score> get(Connection c, String projectId, String scoreId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM scores WHERE project_id = ? AND score_id = ?")) {
      Sql.setString(ps, 1, projectId);
      Sql.setString(ps, 2, scoreId);
      return read(ps).stream().findFirst();
    }
  }

  private static void in(StringBuilder sql, List<String> args, String column, List<String> values) {
    if (values == null || values.isEmpty()) return;
    sql.append(" AND ").append(column).append(" IN (");
    for (int i = 0; i < values.size(); i++) sql.append(i == 0 ? "?" : ", ?");
    sql.append(')');
    args.addAll(values);
  }

  private static List<Score> read(PreparedStatement ps) throws SQLException {
    List<Score> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Score(rs.getString("score_id"), rs.getString("run_id"), rs.getString("step_id"),
            rs.getString("name"), Sql.getDouble(rs, "value"), rs.getString("string_value"), rs.getString("comment"),
            rs.getString("source"), Sql.getJson(rs, "metadata"), Sql.getInstant(rs, "created_ns")));
      }
    }
    return out;
  }
}
