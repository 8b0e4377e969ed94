package dev.sextant.store.clickhouse;

import static dev.sextant.store.clickhouse.StoredRows.doubleValue;
import static dev.sextant.store.clickhouse.StoredRows.integer;
import static dev.sextant.store.clickhouse.StoredRows.json;
import static dev.sextant.store.clickhouse.StoredRows.longValue;
import static dev.sextant.store.clickhouse.StoredRows.text;
import static dev.sextant.store.clickhouse.StoredRows.textMap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Failure;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepError;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.store.RecordSink;
import java.util.List;
import java.util.Map;

/**
 * Reads one stored run and its steps back as ingest records, as the row stores do: runs carry what
 * clients reported (status, end) rather than what was derived, so re-ingesting them derives the same
 * values again; the failure is written as stated, since by now its cause is known.
 */
final class ClickHouseExport {
  private final ClickHouseClient client;

  ClickHouseExport(ClickHouseClient client) {
    this.client = client;
  }

  /** Hands the run and then its steps, in order, to {@code sink}; false when the run is gone. */
  boolean exportRun(String projectId, String runId, RecordSink sink) {
    List<ObjectNode> runs = client.select("SELECT * FROM runs FINAL WHERE project_id = "
        + ClickHouseClient.quote(projectId) + " AND run_id = " + ClickHouseClient.quote(runId) + " AND deleted = 0");
    if (runs.isEmpty()) return false;
    ObjectNode r = runs.get(0);
    sink.run(run(r));
    List<ObjectNode> steps = client.select("SELECT * FROM steps FINAL WHERE project_id = "
        + ClickHouseClient.quote(projectId) + " AND run_id = " + ClickHouseClient.quote(runId)
        + " AND incarnation = " + r.get("incarnation").asLong());
    steps.sort(ClickHouseRunReads.STEP_ORDER);
    for (ObjectNode s : steps) sink.step(step(runId, s));
    return true;
  }

  private static RunRecord run(ObjectNode r) {
    Map<String, String> labels = textMap(r, "labels");
    Long start = longValue(r, "reported_start_ns");
    Long end = longValue(r, "reported_end_ns");
    // a start derived from the steps or the arrival time is kept, unless the run is an end without
    // steps, whose start is derived from that end again
    if (start == null && (end == null || r.get("step_count").asLong() > 0)) start = longValue(r, "start_ns");
    String status = text(r, "reported_status");
    Failure failure = text(r, "failure_type") == null ? null : new Failure(text(r, "failure_type"),
        text(r, "failure_code"), text(r, "failure_message"), text(r, "failure_step_id"));
    return RunRecord.builder(text(r, "run_id")).agentId(text(r, "agent_id")).agentVersion(text(r, "agent_version"))
        .environment(text(r, "environment")).name(text(r, "name")).sessionId(text(r, "session_id")).labels(labels)
        .startNanos(start).endNanos(end).status(status == null ? null : RunStatus.parse(status)).failure(failure)
        .metadata((ObjectNode) json(r, "metadata")).input(json(r, "input")).output(json(r, "output")).build();
  }

  private static StepRecord step(String runId, ObjectNode s) {
    String errorType = text(s, "error_type");
    String errorCode = text(s, "error_code");
    String errorMessage = text(s, "error_message");
    StepError error = errorType == null && errorCode == null && errorMessage == null
        ? null : new StepError(errorType, errorCode, errorMessage);
    String status = text(s, "status");
    return StepRecord.builder(runId, text(s, "step_id")).parentStepId(text(s, "parent_step_id"))
        .seq(integer(s, "seq")).type(text(s, "type")).name(text(s, "name")).startNanos(longValue(s, "start_ns"))
        .endNanos(longValue(s, "end_ns")).status(status == null ? null : StepStatus.parse(status))
        .attempt(integer(s, "attempt")).retryOf(text(s, "retry_of")).model(text(s, "model"))
        .provider(text(s, "provider")).inputTokens(longValue(s, "input_tokens"))
        .outputTokens(longValue(s, "output_tokens")).cacheReadTokens(longValue(s, "cache_read_tokens"))
        .reasoningTokens(longValue(s, "reasoning_tokens"))
        .costUsd(doubleValue(s, "cost_usd"))
        .timeToFirstTokenMs(doubleValue(s, "ttft_ms")).error(error).metadata((ObjectNode) json(s, "metadata"))
        .input(json(s, "input")).output(json(s, "output")).events(StepEvent.fromJson(json(s, "events")))
        .normalization(textMap(s, "normalization")).build();
  }

}
