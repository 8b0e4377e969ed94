package dev.sextant.store.sql;

import static dev.sextant.store.sql.Sql.getDouble;
import static dev.sextant.store.sql.Sql.getInstant;
import static dev.sextant.store.sql.Sql.getJson;
import static dev.sextant.store.sql.Sql.getLong;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Failure;
import dev.sextant.model.Json;
import dev.sextant.model.StepError;
import dev.sextant.model.Times;
import dev.sextant.store.AgentSummary;
import dev.sextant.store.RunDetail;
import dev.sextant.store.RunCursor;
import dev.sextant.store.RunPage;
import dev.sextant.store.RunQuery;
import dev.sextant.store.RunSummary;
import dev.sextant.store.StepDetail;
import dev.sextant.store.StepSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Run and step reads. */
final class SqlReader {
  static final String RUN_COLUMNS =
      "r.run_id, r.agent_id, r.agent_version, r.environment, r.name, r.session_id, r.labels, r.status,"
          + " r.start_ns, r.end_ns, r.duration_ms, r.step_count, r.error_count, r.retry_count, r.input_tokens,"
          + " r.output_tokens, r.cost_usd, r.failure_type, r.failure_code, r.failure_step_id";

  private static final String STEP_COLUMNS =
      "step_id, parent_step_id, seq, type, name, start_ns, end_ns, " + Sql.stepDurationMs("") + " AS duration_ms,"
          + " status, attempt, retry_of, model,"
          + " input_tokens, output_tokens, cost_usd, cost_computed, error_type, error_code, error_message";

  static final String STEP_ORDER =
      " ORDER BY CASE WHEN seq IS NULL THEN 1 ELSE 0 END, seq, start_ns, step_id";

  private final Dialect dialect;

  SqlReader(Dialect dialect) {
    this.dialect = dialect;
  }

  RunPage listRuns(Connection c, String projectId, RunQuery q) throws SQLException {
    RunFilter f = new RunFilter(projectId, q, dialect);
    RunQuery.Sort sort = q.sort() == null ? RunQuery.Sort.START_TIME : q.sort();
    boolean byValue = sort != RunQuery.Sort.START_TIME;
    RunCursor cursor = RunCursor.decode(q.cursor(), sort);
    try (PreparedStatement ps = c.prepareStatement(runPageSql(f.where.toString(), sort, cursor != null))) {
      int i = f.bind(ps, 1);
      if (cursor != null) {
        if (byValue) {
          ps.setDouble(i++, cursor.value());
          ps.setDouble(i++, cursor.value());
        } else {
          ps.setLong(i++, cursor.nanos());
          ps.setLong(i++, cursor.nanos());
        }
        Sql.setString(ps, i++, cursor.runId());
      }
      ps.setInt(i, q.limit() + 1);
      List<RunSummary> runs = new ArrayList<>();
      String next = null;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (runs.size() == q.limit()) {
            next = RunCursor.after(runs.get(runs.size() - 1), sort);
            break;
          }
          runs.add(runSummary(rs));
        }
      }
      return new RunPage(runs, next, null);
    }
  }

  /**
   * The statement of a page of the run list: the runs matching {@code where} (a {@link RunFilter}'s),
   * after the cursor's run when {@code afterCursor}, in the sort's order, with the page's size plus
   * one as its last parameter.
   */
  static String runPageSql(String where, RunQuery.Sort sort, boolean afterCursor) {
    boolean byValue = sort != RunQuery.Sort.START_TIME;
    String key = switch (sort) {
      case DURATION -> "COALESCE(r.duration_ms, -1)";
      case COST -> "COALESCE(r.cost_usd, -1)";
      case START_TIME -> "r.start_ns";
    };
    // A sort by value picks the page's run keys first, so that SQLite reads them from one of its
    // indexes in start order alone (by time, agent or status: each carries the run id, duration and
    // cost), and only then fetches the rows of that page.
    StringBuilder sql = new StringBuilder("SELECT ").append(byValue ? "r.run_key" : RUN_COLUMNS)
        .append(" FROM runs r WHERE ").append(where);
    if (afterCursor) {
      sql.append(" AND (").append(key).append(" < ? OR (").append(key).append(" = ? AND r.run_id < ?))");
    }
    String order = " ORDER BY " + key + " DESC, r.run_id DESC";
    sql.append(order).append(" LIMIT ?");
    if (byValue) {
      sql.insert(0, "SELECT " + RUN_COLUMNS + " FROM runs r WHERE r.run_key IN (").append(')').append(order);
    }
    return sql.toString();
  }

  Optional<RunDetail> getRun(Connection c, String projectId, String runId) throws SQLException {
    RunSummary run;
    JsonNode metadata;
    JsonNode input;
    JsonNode output;
    Failure failure = null;
    try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS
        + ", r.failure_message, r.metadata, r.input, r.output FROM runs r WHERE r.project_id = ? AND r.run_id = ?")) {
      Sql.setString(ps, 1, projectId);
      Sql.setString(ps, 2, runId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        run = runSummary(rs);
        if (rs.getString("failure_type") != null) {
          failure = new Failure(rs.getString("failure_type"), rs.getString("failure_code"),
              rs.getString("failure_message"), rs.getString("failure_step_id"));
        }
        metadata = getJson(rs, "metadata");
        input = getJson(rs, "input");
        output = getJson(rs, "output");
      }
    }
    List<StepSummary> steps = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + STEP_COLUMNS
        + " FROM steps WHERE run_key = " + Sql.RUN_KEY + STEP_ORDER)) {
      Sql.setString(ps, 1, projectId);
      Sql.setString(ps, 2, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) steps.add(stepSummary(rs, steps.size() + 1));
      }
    }
    return Optional.of(new RunDetail(run, metadata, input, output, failure, steps));
  }

  Optional<StepDetail> getStep(Connection c, String projectId, String runId, String stepId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + STEP_COLUMNS
        + ", provider, cache_read_tokens, reasoning_tokens, ttft_ms, metadata, input, output, events, normalization,"
        + " (SELECT count(*) FROM steps p WHERE p.run_key = steps.run_key"
        + "   AND (CASE WHEN p.seq IS NULL THEN 1 ELSE 0 END, COALESCE(p.seq, 0), COALESCE(p.start_ns, 0), p.step_id)"
        + "   < (CASE WHEN steps.seq IS NULL THEN 1 ELSE 0 END, COALESCE(steps.seq, 0), COALESCE(steps.start_ns, 0), steps.step_id)"
        + " ) AS position"
        + " FROM steps WHERE run_key = " + Sql.RUN_KEY + " AND step_id = ?")) {
      Sql.setString(ps, 1, projectId);
      Sql.setString(ps, 2, runId);
      Sql.setString(ps, 3, stepId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        StepSummary summary = stepSummary(rs, rs.getInt("position") + 1);
        List<StepDetail.Event> events = new ArrayList<>();
        JsonNode ev = getJson(rs, "events");
        if (ev != null) {
          for (JsonNode e : ev) {
            events.add(new StepDetail.Event(e.path("name").asText(),
                Times.toInstant(Times.parse(e.path("time").asText())), e.get("attributes")));
          }
        }
        Map<String, String> normalization = new LinkedHashMap<>();
        JsonNode n = getJson(rs, "normalization");
        if (n != null) {
          for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            normalization.put(e.getKey(), e.getValue().asText());
          }
        }
        JsonNode metadata = getJson(rs, "metadata");
        return Optional.of(new StepDetail(summary, rs.getString("provider"), getLong(rs, "cache_read_tokens"),
            getLong(rs, "reasoning_tokens"), getDouble(rs, "ttft_ms"),
            metadata == null ? Json.object() : metadata, getJson(rs, "input"), getJson(rs, "output"),
            events, normalization));
      }
    }
  }

  List<AgentSummary> agents(Connection c, String projectId) throws SQLException {
    List<AgentRows.Row> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT agent_id, agent_version, environment, count(*) AS n, max(start_ns) AS last FROM runs"
            + " WHERE project_id = ? AND agent_id IS NOT NULL GROUP BY agent_id, agent_version, environment"
            + " ORDER BY agent_id, agent_version, environment")) {
      Sql.setString(ps, 1, projectId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new AgentRows.Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
              rs.getLong(5)));
        }
      }
    }
    return AgentRows.summarize(rows);
  }

  static RunSummary runSummary(ResultSet rs) throws SQLException {
    String labels = rs.getString("labels");
    Map<String, String> labelMap = new LinkedHashMap<>();
    if (labels != null) {
      Json.read(labels).fields().forEachRemaining(e -> labelMap.put(e.getKey(), e.getValue().asText()));
    }
    String failureType = rs.getString("failure_type");
    return new RunSummary(
        rs.getString("run_id"), rs.getString("agent_id"), rs.getString("agent_version"),
        rs.getString("environment"), rs.getString("name"), rs.getString("session_id"), labelMap,
        rs.getString("status"), getInstant(rs, "start_ns"), getInstant(rs, "end_ns"),
        getDouble(rs, "duration_ms"), rs.getInt("step_count"), rs.getInt("error_count"),
        rs.getInt("retry_count"), getLong(rs, "input_tokens"), getLong(rs, "output_tokens"),
        getDouble(rs, "cost_usd"),
        failureType == null ? null
            : new RunSummary.FailureRef(failureType, rs.getString("failure_code"), rs.getString("failure_step_id")));
  }

  private static StepSummary stepSummary(ResultSet rs, int position) throws SQLException {
    Integer seq = rs.getInt("seq");
    if (rs.wasNull()) seq = position;
    int attempt = rs.getInt("attempt");
    if (rs.wasNull()) attempt = 1;
    String errorType = rs.getString("error_type");
    String errorCode = rs.getString("error_code");
    String errorMessage = rs.getString("error_message");
    StepError error = errorType == null && errorCode == null && errorMessage == null
        ? null : new StepError(errorType, errorCode, errorMessage);
    String type = rs.getString("type");
    return new StepSummary(
        rs.getString("step_id"), rs.getString("parent_step_id"), seq, type == null ? "custom" : type,
        rs.getString("name"), getInstant(rs, "start_ns"), getInstant(rs, "end_ns"), getDouble(rs, "duration_ms"),
        rs.getString("status"), attempt, rs.getString("retry_of"), rs.getString("model"),
        getLong(rs, "input_tokens"), getLong(rs, "output_tokens"), getDouble(rs, "cost_usd"), error,
        StepSummary.costSource(getDouble(rs, "cost_usd"), getLong(rs, "cost_computed") != null));
  }
}
