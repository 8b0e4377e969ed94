package dev.sextant.store.clickhouse;

import static dev.sextant.store.clickhouse.StoredRows.doubleValue;
import static dev.sextant.store.clickhouse.StoredRows.integer;
import static dev.sextant.store.clickhouse.StoredRows.json;
import static dev.sextant.store.clickhouse.StoredRows.longValue;
import static dev.sextant.store.clickhouse.StoredRows.text;
import static dev.sextant.store.clickhouse.StoredRows.textMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Failure;
import dev.sextant.model.Json;
import dev.sextant.model.StepError;
import dev.sextant.model.Times;
import dev.sextant.store.RunCursor;
import dev.sextant.store.RunDetail;
import dev.sextant.store.RunPage;
import dev.sextant.store.RunQuery;
import dev.sextant.store.RunSummary;
import dev.sextant.store.StepDetail;
import dev.sextant.store.StepSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Pages of runs, one run with its step skeleton, and one step in full, read from the latest
 * versions of their rows ({@code FINAL}, correct before any merge), shaped as the row stores shape
 * them.
 */
final class ClickHouseRunReads {
  /** The columns a run summary needs. */
  private static final String SUMMARY_COLUMNS = "run_id, agent_id, agent_version, environment, name, session_id,"
      + " labels, status, start_ns, end_ns, duration_ms, step_count, error_count, retry_count, input_tokens,"
      + " output_tokens, cost_usd, failure_type, failure_code, failure_step_id";

  private final ClickHouseClient client;
  private final BiFunction<String, RunQuery.ScoreFilter, Collection<String>> scoredRuns;

  /**
   * @param scoredRuns the ids of a project's runs with a score matching a filter
   */
  ClickHouseRunReads(ClickHouseClient client,
      BiFunction<String, RunQuery.ScoreFilter, Collection<String>> scoredRuns) {
    this.client = client;
    this.scoredRuns = scoredRuns;
  }

  /**
   * How far back from its top the first window of a page in start order reaches; each next one
   * reaches {@link #WIDEN} times further.
   */
  private static final long FIRST_WINDOW_NS = 300_000_000_000L;

  private static final long WIDEN = 16;

  /** Windows before the last one, which has no lower bound: 5 min, 80 min, 21 h, 14 days, 227 days. */
  private static final int WINDOWS = 5;

  /**
   * A page of the runs matching {@code q}, newest (longest, most expensive) first, ties by run id
   * descending, from the position of {@code q}'s cursor on.
   *
   * <p>Read from {@code runs_by_start}, sorted by start: in start order a page is read in windows
   * of time going back from its top (the cursor, the query's end, or now), each wider than the
   * last, until it is full, so a page of recent runs reads only their granules.
   */
  RunPage listRuns(String projectId, RunQuery q) {
    RunQuery.Sort sort = q.sort() == null ? RunQuery.Sort.START_TIME : q.sort();
    String key = switch (sort) {
      case DURATION -> "ifNull(duration_ms, toFloat64(-1))";
      case COST -> "ifNull(cost_usd, toFloat64(-1))";
      case START_TIME -> "start_ns";
    };
    StringBuilder select = new StringBuilder("SELECT ").append(SUMMARY_COLUMNS)
        .append(" FROM runs_by_start FINAL WHERE ").append(ChRunFilter.where(projectId, q, scoredRuns));
    RunCursor cursor = RunCursor.decode(q.cursor(), sort);
    if (cursor != null) {
      String at = sort == RunQuery.Sort.START_TIME ? Long.toString(cursor.nanos()) : ChRunFilter.number(cursor.value());
      select.append(" AND (").append(key).append(" < ").append(at).append(" OR (").append(key).append(" = ")
          .append(at).append(" AND run_id < ").append(ClickHouseClient.quote(cursor.runId())).append("))");
    }
    String order = " ORDER BY " + key + " DESC, run_id DESC LIMIT ";
    List<ObjectNode> rows = new ArrayList<>();
    if (sort != RunQuery.Sort.START_TIME) {
      rows.addAll(client.select(select + order + (q.limit() + 1)));
    } else {
      long top = Times.nowNanos();
      if (cursor != null) top = cursor.nanos() + 1;
      if (q.toNanos() != null) top = cursor != null ? Math.min(top, q.toNanos()) : q.toNanos();
      String upper = "";
      long width = FIRST_WINDOW_NS;
      for (int w = 0; rows.size() <= q.limit(); w++) {
        long lower = top - width;
        boolean last = w == WINDOWS || lower > top || (q.fromNanos() != null && lower <= q.fromNanos());
        String window = (last ? "" : " AND start_ns >= " + lower) + upper;
        rows.addAll(client.select(select + window + order + (q.limit() + 1 - rows.size())));
        if (last) break;
        upper = " AND start_ns < " + lower;
        width *= WIDEN;
      }
    }
    List<RunSummary> runs = new ArrayList<>();
    String next = null;
    for (ObjectNode r : rows) {
      if (runs.size() == q.limit()) {
        next = RunCursor.after(runs.get(runs.size() - 1), sort);
        break;
      }
      runs.add(runSummary(r));
    }
    return new RunPage(runs, next, null);
  }

  Optional<RunDetail> getRun(String projectId, String runId) {
    ObjectNode r = run(projectId, runId);
    if (r == null) return Optional.empty();
    Failure failure = text(r, "failure_type") == null ? null : new Failure(text(r, "failure_type"),
        text(r, "failure_code"), text(r, "failure_message"), text(r, "failure_step_id"));
    List<ObjectNode> stepRows = steps(projectId, runId, r.get("incarnation").asLong());
    List<StepSummary> steps = new ArrayList<>(stepRows.size());
    for (ObjectNode s : stepRows) steps.add(stepSummary(s, steps.size() + 1));
    return Optional.of(new RunDetail(runSummary(r), json(r, "metadata"), json(r, "input"), json(r, "output"),
        failure, steps));
  }

  Optional<StepDetail> getStep(String projectId, String runId, String stepId) {
    ObjectNode run = run(projectId, runId);
    if (run == null) return Optional.empty();
    List<ObjectNode> all = steps(projectId, runId, run.get("incarnation").asLong());
    for (int i = 0; i < all.size(); i++) {
      ObjectNode s = all.get(i);
      if (!stepId.equals(text(s, "step_id"))) continue;
      List<StepDetail.Event> events = new ArrayList<>();
      JsonNode ev = json(s, "events");
      if (ev != null) {
        for (JsonNode e : ev) {
          events.add(new StepDetail.Event(e.path("name").asText(),
              Times.toInstant(Times.parse(e.path("time").asText())), e.get("attributes")));
        }
      }
      Map<String, String> normalization = textMap(s, "normalization");
      JsonNode metadata = json(s, "metadata");
      return Optional.of(new StepDetail(stepSummary(s, i + 1), text(s, "provider"), longValue(s, "cache_read_tokens"),
          longValue(s, "reasoning_tokens"), doubleValue(s, "ttft_ms"), metadata == null ? Json.object() : metadata,
          json(s, "input"), json(s, "output"), events,
          normalization == null ? new LinkedHashMap<>() : normalization));
    }
    return Optional.empty();
  }

  /**
   * The run's steps in the skeleton's order: by seq (steps without one last), then start (none
   * first) and id, as the row stores order them.
   */
  private List<ObjectNode> steps(String projectId, String runId, long incarnation) {
    List<ObjectNode> rows = client.select("SELECT * FROM steps FINAL WHERE project_id = "
        + ClickHouseClient.quote(projectId) + " AND run_id = " + ClickHouseClient.quote(runId)
        + " AND incarnation = " + incarnation);
    rows.sort(STEP_ORDER);
    return rows;
  }

  /** The run's latest row, null when it has none or retention deleted it. */
  private ObjectNode run(String projectId, String runId) {
    List<ObjectNode> rows = client.select("SELECT * FROM runs FINAL WHERE project_id = "
        + ClickHouseClient.quote(projectId) + " AND run_id = " + ClickHouseClient.quote(runId) + " AND deleted = 0");
    return rows.isEmpty() ? null : rows.get(0);
  }

  static final Comparator<ObjectNode> STEP_ORDER = Comparator
      .comparing((ObjectNode s) -> integer(s, "seq") == null ? 1 : 0)
      .thenComparing(s -> integer(s, "seq"), Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(s -> longValue(s, "start_ns"), Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(s -> text(s, "step_id"));

  static RunSummary runSummary(ObjectNode r) {
    Map<String, String> stored = textMap(r, "labels");
    Map<String, String> labels = stored == null ? new LinkedHashMap<>() : stored;
    String failureType = text(r, "failure_type");
    return new RunSummary(text(r, "run_id"), text(r, "agent_id"), text(r, "agent_version"), text(r, "environment"),
        text(r, "name"), text(r, "session_id"), labels, text(r, "status"), instant(r, "start_ns"),
        instant(r, "end_ns"), doubleValue(r, "duration_ms"), r.path("step_count").asInt(),
        r.path("error_count").asInt(), r.path("retry_count").asInt(), longValue(r, "input_tokens"),
        longValue(r, "output_tokens"), doubleValue(r, "cost_usd"),
        failureType == null ? null
            : new RunSummary.FailureRef(failureType, text(r, "failure_code"), text(r, "failure_step_id")));
  }

  private static StepSummary stepSummary(ObjectNode s, int position) {
    Integer seq = integer(s, "seq");
    Integer attempt = integer(s, "attempt");
    String errorType = text(s, "error_type");
    String errorCode = text(s, "error_code");
    String errorMessage = text(s, "error_message");
    StepError error = errorType == null && errorCode == null && errorMessage == null
        ? null : new StepError(errorType, errorCode, errorMessage);
    Long start = longValue(s, "start_ns");
    Long end = longValue(s, "end_ns");
    Double durationMs = start == null || end == null || end < start ? null : (end - start) / 1_000_000.0;
    String type = text(s, "type");
    Double cost = doubleValue(s, "cost_usd");
    return new StepSummary(text(s, "step_id"), text(s, "parent_step_id"), seq == null ? position : seq,
        type == null ? "custom" : type, text(s, "name"), instant(s, "start_ns"), instant(s, "end_ns"), durationMs,
        text(s, "status"), attempt == null ? 1 : attempt, text(s, "retry_of"), text(s, "model"),
        longValue(s, "input_tokens"), longValue(s, "output_tokens"), cost, error,
        StepSummary.costSource(cost, s.path("cost_computed").asInt() == 1));
  }

  private static Instant instant(ObjectNode row, String column) {
    Long ns = longValue(row, column);
    return ns == null ? null : Times.toInstant(ns);
  }

}
