package dev.sextant.store.sql;

import dev.sextant.store.RunQuery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Turns the filters of a {@link RunQuery} into a WHERE clause over {@code runs r} and its arguments. */
final class RunFilter {
  final StringBuilder where = new StringBuilder("r.project_id = ?");
  final List<Object> args = new ArrayList<>();

  RunFilter(String projectId, RunQuery q, Dialect dialect) {
    args.add(projectId);
    eq("r.agent_id", q.agent());
    eq("r.agent_version", q.version());
    eq("r.environment", q.environment());
    eq("r.status", q.status());
    eq("r.failure_type", q.failureType());
    eq("r.failure_code", q.failureCode());
    eq("r.session_id", q.session());
    for (RunQuery.LabelFilter l : q.labels()) {
      where.append(" AND EXISTS (SELECT 1 FROM run_labels l WHERE l.run_key = r.run_key"
          + " AND l.key = ? AND l.value = ?)");
      args.add(l.key());
      args.add(l.value());
    }
    if (q.text() != null && !q.text().isEmpty()) {
      String like = dialect.ilike();
      where.append(" AND (r.name ").append(like).append(" ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM steps s")
          .append(" WHERE s.run_key = r.run_key AND s.name ")
          .append(like).append(" ? ESCAPE '\\'))");
      args.add(Sql.likeContains(q.text()));
      args.add(Sql.likeContains(q.text()));
    }
    for (RunQuery.ScoreFilter f : q.scores()) {
      where.append(" AND EXISTS (SELECT 1 FROM scores sc WHERE sc.project_id = r.project_id"
          + " AND sc.run_id = r.run_id AND sc.name = ?");
      args.add(f.name());
      if (f.min() != null) {
        where.append(" AND sc.value >= ?");
        args.add(f.min());
      }
      if (f.max() != null) {
        where.append(" AND sc.value <= ?");
        args.add(f.max());
      }
      where.append(')');
    }
    cmp("r.start_ns >= ?", q.fromNanos());
    cmp("r.start_ns < ?", q.toNanos());
    cmp("r.duration_ms >= ?", q.minDurationMs());
    cmp("r.duration_ms <= ?", q.maxDurationMs());
  }

  private void eq(String column, String value) {
    if (value == null) return;
    where.append(" AND ").append(column).append(" = ?");
    args.add(value);
  }

  private void cmp(String clause, Object value) {
    if (value == null) return;
    where.append(" AND ").append(clause);
    args.add(value);
  }

  /** Binds the arguments starting at index {@code from}; returns the next free index. */
  int bind(PreparedStatement ps, int from) throws SQLException {
    int i = from;
    for (Object a : args) {
      if (a instanceof Long) ps.setLong(i++, (Long) a);
      else if (a instanceof Double) ps.setDouble(i++, (Double) a);
      else Sql.setString(ps, i++, (String) a);
    }
    return i;
  }
}
