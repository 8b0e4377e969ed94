package dev.sextant.store.sql;

import static dev.sextant.store.sql.Sql.getDouble;
import static dev.sextant.store.sql.Sql.getJson;
import static dev.sextant.store.sql.Sql.getLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Failure;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepError;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.store.RecordSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one stored run and its steps back as ingest records. Runs carry what clients reported
 * (status, end) rather than what was derived, so re-ingesting them derives the same values again;
 * the failure is written as stated, since by now its cause is known.
 */
final class SqlExport {
  private static final String RUN =
      "SELECT run_id, agent_id, agent_version, environment, name, session_id, labels, reported_start_ns,"
          + " reported_end_ns, reported_status, start_ns, step_count, failure_type, failure_code, failure_message,"
          + " failure_step_id, metadata, input, output FROM runs WHERE project_id = ? AND run_id = ?";

  private static final String STEPS =
      "SELECT step_id, parent_step_id, seq, type, name, start_ns, end_ns, status, attempt, retry_of, model,"
          + " provider, input_tokens, output_tokens, cache_read_tokens, reasoning_tokens, cost_usd, ttft_ms,"
          + " error_type, error_code, error_message, metadata, input, output, events, normalization"
          + " FROM steps WHERE run_key = " + Sql.RUN_KEY + SqlReader.STEP_ORDER;

  private static final int FETCH_SIZE = 500;

  private final boolean streamInTransaction;

  /** @param streamInTransaction the driver streams rows only inside a transaction (pgjdbc) */
  SqlExport(boolean streamInTransaction) {
    this.streamInTransaction = streamInTransaction;
  }

  /** Hands the run and then its steps, in order, to {@code sink}; false when the run is gone. */
  boolean exportRun(Connection c, String projectId, String runId, RecordSink sink) throws SQLException {
    RunRecord run;
    try (PreparedStatement ps = c.prepareStatement(RUN)) {
      Sql.setString(ps, 1, projectId);
      Sql.setString(ps, 2, runId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return false;
        run = run(rs);
      }
    }
    sink.run(run);
    boolean autoCommit = c.getAutoCommit();
    if (streamInTransaction) c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement(STEPS)) {
      ps.setFetchSize(FETCH_SIZE);
      Sql.setString(ps, 1, projectId);
      Sql.setString(ps, 2, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) sink.step(step(runId, rs));
      }
    } finally {
      if (streamInTransaction) {
        c.rollback();
        c.setAutoCommit(autoCommit);
      }
    }
    return true;
  }

  private static RunRecord run(ResultSet rs) throws SQLException {
    Map<String, String> labels = null;
    JsonNode l = getJson(rs, "labels");
    if (l != null) {
      labels = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : l.properties()) labels.put(e.getKey(), e.getValue().asText());
    }
    Long start = getLong(rs, "reported_start_ns");
    Long end = getLong(rs, "reported_end_ns");
    // the store derives a start from the steps or the arrival time when none was reported: keep it,
    // unless the run is an end without steps, whose start the store derives from that end again
    if (start == null && (end == null || rs.getInt("step_count") > 0)) start = getLong(rs, "start_ns");
    String status = rs.getString("reported_status");
    Failure failure = rs.getString("failure_type") == null ? null
        : new Failure(rs.getString("failure_type"), rs.getString("failure_code"), rs.getString("failure_message"),
            rs.getString("failure_step_id"));
    return RunRecord.builder(rs.getString("run_id")).agentId(rs.getString("agent_id"))
        .agentVersion(rs.getString("agent_version")).environment(rs.getString("environment"))
        .name(rs.getString("name")).sessionId(rs.getString("session_id")).labels(labels).startNanos(start)
        .endNanos(end).status(status == null ? null : RunStatus.parse(status)).failure(failure)
        .metadata((ObjectNode) getJson(rs, "metadata")).input(getJson(rs, "input")).output(getJson(rs, "output"))
        .build();
  }

  private static StepRecord step(String runId, ResultSet rs) throws SQLException {
    String errorType = rs.getString("error_type");
    String errorCode = rs.getString("error_code");
    String errorMessage = rs.getString("error_message");
    StepError error = errorType == null && errorCode == null && errorMessage == null
        ? null : new StepError(errorType, errorCode, errorMessage);
    String status = rs.getString("status");
    return StepRecord.builder(runId, rs.getString("step_id")).parentStepId(rs.getString("parent_step_id"))
        .seq(integer(rs, "seq")).type(rs.getString("type")).name(rs.getString("name"))
        .startNanos(getLong(rs, "start_ns")).endNanos(getLong(rs, "end_ns"))
        .status(status == null ? null : StepStatus.parse(status)).attempt(integer(rs, "attempt"))
        .retryOf(rs.getString("retry_of")).model(rs.getString("model")).provider(rs.getString("provider"))
        .inputTokens(getLong(rs, "input_tokens")).outputTokens(getLong(rs, "output_tokens"))
        .cacheReadTokens(getLong(rs, "cache_read_tokens")).reasoningTokens(getLong(rs, "reasoning_tokens"))
        .costUsd(getDouble(rs, "cost_usd")).timeToFirstTokenMs(getDouble(rs, "ttft_ms")).error(error)
        .metadata((ObjectNode) getJson(rs, "metadata")).input(getJson(rs, "input")).output(getJson(rs, "output"))
        .events(StepEvent.fromJson(getJson(rs, "events"))).normalization(normalization(getJson(rs, "normalization"))).build();
  }

  private static Integer integer(ResultSet rs, String col) throws SQLException {
    int v = rs.getInt(col);
    return rs.wasNull() ? null : v;
  }

  private static Map<String, String> normalization(JsonNode stored) {
    if (stored == null) return null;
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : stored.properties()) out.put(e.getKey(), e.getValue().asText());
    return out;
  }
}
