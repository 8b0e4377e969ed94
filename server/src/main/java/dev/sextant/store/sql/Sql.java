package dev.sextant.store.sql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.model.Times;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Small JDBC binding helpers shared by the SQL backends. */
final class Sql {
  private Sql() {}

  /** The most a token total can reach: sums stop there instead of overflowing 64 bits. */
  static final String MAX_TOTAL = "9.0E18";

  /**
   * The sum of an integer column that cannot overflow on either backend: added as double (exact
   * below 2^53) and capped at {@link #MAX_TOTAL}. Null when every value is null, like {@code sum}.
   * SQLite's {@code sum} of integers fails on overflow, PostgreSQL's {@code bigint} cannot hold it.
   */
  static String cappedSum(String expr) {
    String sum = "sum(CAST(" + expr + " AS DOUBLE PRECISION))";
    return "CAST(CASE WHEN " + sum + " > " + MAX_TOTAL + " THEN " + MAX_TOTAL + " ELSE " + sum + " END AS BIGINT)";
  }

  /** A duration in milliseconds, or null when either end is unknown or the end comes before the start. */
  static String durationMs(String start, String end) {
    return "CASE WHEN " + end + " >= " + start + " THEN (" + end + " - " + start + ") / 1000000.0 END";
  }

  /** A run's key by its project and id, for a step's {@code run_key} (two parameters). */
  static final String RUN_KEY = "(SELECT k.run_key FROM runs k WHERE k.project_id = ? AND k.run_id = ?)";

  /**
   * A step's duration in milliseconds from its start and end columns (steps store no duration):
   * null when either is unknown or the end comes first; the difference divided as a double, as the
   * API computes it. {@code alias} is the steps table's alias with its dot, or empty.
   */
  static String stepDurationMs(String alias) {
    return "CASE WHEN " + alias + "end_ns >= " + alias + "start_ns THEN CAST(" + alias + "end_ns - " + alias
        + "start_ns AS DOUBLE PRECISION) / 1000000.0 END";
  }

  /** Only the durations that can be latencies: rows stored with a negative one are left out. */
  static String latency(String column) {
    return "CASE WHEN " + column + " >= 0 THEN " + column + " END";
  }

  /**
   * Binds text. U+0000 becomes U+FFFD on every backend: PostgreSQL text cannot hold it (the whole
   * transaction would fail, and with it every request in the commit group), and both backends must
   * store the same thing.
   */
  static void setString(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) ps.setNull(i, Types.VARCHAR);
    else ps.setString(i, v.indexOf('\u0000') < 0 ? v : v.replace('\u0000', '\uFFFD'));
  }

  static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) ps.setNull(i, Types.BIGINT);
    else ps.setLong(i, v);
  }

  static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
    if (v == null) ps.setNull(i, Types.INTEGER);
    else ps.setInt(i, v);
  }

  static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) ps.setNull(i, Types.DOUBLE);
    else ps.setDouble(i, v);
  }

  static void setJson(PreparedStatement ps, int i, Object v) throws SQLException {
    setJsonText(ps, i, v == null ? null : Json.write(v));
  }

  /** Binds JSON text, as {@link Json#write} renders it (which escapes U+0000: nothing to replace). */
  static void setJsonText(PreparedStatement ps, int i, String json) throws SQLException {
    if (json == null) ps.setNull(i, Types.VARCHAR);
    else ps.setString(i, json);
  }

  static Long getLong(ResultSet rs, String col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : v;
  }

  static Double getDouble(ResultSet rs, String col) throws SQLException {
    double v = rs.getDouble(col);
    return rs.wasNull() ? null : v;
  }

  static Long getLong(ResultSet rs, int col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : v;
  }

  static Double getDouble(ResultSet rs, int col) throws SQLException {
    double v = rs.getDouble(col);
    return rs.wasNull() ? null : v;
  }

  static Instant getInstant(ResultSet rs, String col) throws SQLException {
    Long v = getLong(rs, col);
    return v == null ? null : Times.toInstant(v);
  }

  static JsonNode getJson(ResultSet rs, String col) throws SQLException {
    return Json.read(rs.getString(col));
  }

  /** Escapes {@code %}, {@code _} and the escape character for a LIKE pattern with ESCAPE '\'. */
  static String likeContains(String text) {
    return "%" + escapeLike(text) + "%";
  }

  /** {@code text} with {@code %}, {@code _} and the escape character escaped for LIKE ... ESCAPE '\'. */
  static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
