package dev.sextant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.model.Json;
import dev.sextant.model.RunStatus;
import dev.sextant.store.AgentSummary;
import dev.sextant.store.Project;
import dev.sextant.store.RunDetail;
import dev.sextant.store.RunPage;
import dev.sextant.store.RunQuery;
import dev.sextant.store.RunSummary;
import dev.sextant.store.Score;
import dev.sextant.store.ScoreQuery;
import dev.sextant.store.StepDetail;
import dev.sextant.store.StepSummary;
import dev.sextant.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The LangSmith read calls that tools make after writing, answered from Sextant's store in
 * LangSmith's shapes: a run by id, runs of a project or of a trace ({@code POST /runs/query}),
 * projects ({@code /sessions}), and feedback. A LangSmith project is a Sextant agent; a LangSmith
 * trace is a Sextant run, and every LangSmith run in it a step.
 */
final class LangSmithReadService {
  private static final int MAX_QUERY_LIMIT = 100;
  private static final int MAX_FEEDBACK_LIMIT = 100;

  private final Store store;
  private final IngestPipeline pipeline;
  private final Clock clock;

  LangSmithReadService(Store store, IngestPipeline pipeline, Clock clock) {
    this.store = store;
    this.pipeline = pipeline;
    this.clock = clock;
  }

  /** The stable id of a project (an agent) in LangSmith's terms. */
  static String sessionId(String agentId) {
    return UUID.nameUUIDFromBytes(("sextant-agent:" + agentId).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static String tenantId(String projectId) {
    return UUID.nameUUIDFromBytes(("sextant-project:" + projectId).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** {@code GET /runs/{runId}}: a trace's root run. */
  HttpResponse run(Call call) {
    String id = call.path("runId");
    String projectId = call.project().projectId();
    RunDetail d = store.getRun(projectId, id).orElseThrow(() -> HttpFailure.notFound("run " + id
        + " is not the root of a trace in this project; read a child run with POST /runs/query {\"trace\": <root id>}"));
    return Responses.ok(root(projectId, d, feedbackStats(projectId, List.of(id))));
  }

  /** {@code POST /runs/query}: the root runs of a project, or the runs of one trace. */
  HttpResponse query(Call call) {
    JsonNode body = Bodies.jsonObject(call, 1024 * 1024);
    for (String field : List.of("filter", "trace_filter", "tree_filter", "query", "reference_example")) {
      JsonNode v = body.get(field);
      if (v != null && !v.isNull() && !(v.isArray() && v.isEmpty())) {
        throw HttpFailure.badRequest(field + " is not supported by Sextant's LangSmith read API; filter by"
            + " session, trace, parent_run, id, is_root, run_type, error and start_time, or use GET /v1/runs");
      }
    }
    String projectId = call.project().projectId();
    int limit = body.path("limit").isInt() ? body.path("limit").asInt() : MAX_QUERY_LIMIT;
    if (limit < 1 || limit > MAX_QUERY_LIMIT) limit = MAX_QUERY_LIMIT;
    String trace = text(body, "trace");
    String parent = text(body, "parent_run");
    List<String> ids = strings(body, "id");
    String runType = text(body, "run_type");
    ArrayNode runs = Json.NODES.arrayNode();
    String next = null;
    if (trace != null || parent != null) {
      String root = trace != null ? trace : parent;
      store.getRun(projectId, root).ifPresent(d -> {
        Map<String, ObjectNode> stats = feedbackStats(projectId, List.of(root));
        for (StepSummary s : d.steps()) {
          boolean isRoot = s.stepId().equals(root);
          String parentOf = isRoot ? null : s.parentStepId() != null ? s.parentStepId() : root;
          if (parent != null && !parent.equals(parentOf)) continue;
          if (isRoot) {
            if (keep(body, ids, s.stepId(), runType, runType(s.type()), d.run().status())) {
              runs.add(root(projectId, d, stats));
            }
            continue;
          }
          if (Boolean.TRUE.equals(bool(body, "is_root"))) continue;
          if (!keep(body, ids, s.stepId(), runType, runType(s.type()), s.error() != null ? "failure" : "success")) {
            continue;
          }
          StepDetail full = store.getStep(projectId, root, s.stepId()).orElse(null);
          runs.add(child(d, s, full, stats.get(s.stepId())));
        }
      });
    } else {
      if (runType != null && !runType.equals("chain")) {
        throw HttpFailure.badRequest("run_type filters the runs of one trace: give trace as well (without it,"
            + " POST /runs/query lists the root runs of a project)");
      }
      if (Boolean.FALSE.equals(bool(body, "is_root"))) {
        throw HttpFailure.badRequest("is_root=false needs trace or parent_run: without them, POST /runs/query"
            + " lists the root runs of a project");
      }
      if (!ids.isEmpty()) {
        List<RunDetail> found = new ArrayList<>();
        for (String id : ids) store.getRun(projectId, id).ifPresent(found::add);
        Map<String, ObjectNode> stats = feedbackStats(projectId, ids);
        for (RunDetail d : found) runs.add(root(projectId, d, stats));
      } else {
        RunPage page = store.listRuns(projectId, filter(call.project(), body, limit));
        List<String> pageIds = page.runs().stream().map(RunSummary::runId).toList();
        Map<String, ObjectNode> stats = feedbackStats(projectId, pageIds);
        for (RunSummary r : page.runs()) store.getRun(projectId, r.runId()).ifPresent(d -> runs.add(root(projectId, d, stats)));
        next = page.nextCursor();
      }
    }
    ObjectNode out = Json.object();
    out.set("runs", runs);
    ObjectNode cursors = out.putObject("cursors");
    cursors.put("next", next);
    return Responses.ok(out);
  }

  private static boolean keep(JsonNode body, List<String> ids, String id, String runType, String type, String status) {
    if (!ids.isEmpty() && !ids.contains(id)) return false;
    if (runType != null && !runType.equals(type)) return false;
    Boolean error = bool(body, "error");
    return error == null || error.booleanValue() == "failure".equals(status);
  }

  private RunQuery filter(Project project, JsonNode body, int limit) {
    List<String> sessions = strings(body, "session");
    String agent = null;
    if (sessions.size() > 1) throw HttpFailure.badRequest("session: query one project at a time");
    if (sessions.size() == 1) {
      agent = agentOf(project.projectId(), sessions.get(0));
      if (agent == null) throw HttpFailure.notFound("project (session) " + sessions.get(0) + " does not exist");
    }
    Boolean error = bool(body, "error");
    String status = error == null ? null : error ? RunStatus.FAILURE.wire() : RunStatus.SUCCESS.wire();
    Long from = null;
    String start = text(body, "start_time");
    if (start != null) {
      try {
        from = dev.sextant.model.Times.parseBound(start.endsWith("Z") || start.contains("+") ? start : start + "Z");
      } catch (IllegalArgumentException e) {
        throw HttpFailure.badRequest("start_time " + e.getMessage());
      }
    }
    return new RunQuery(agent, null, null, status, null, null, null, List.of(), null, from, null, null, null,
        RunQuery.Sort.START_TIME, limit, text(body, "cursor"));
  }

  private String agentOf(String projectId, String sessionId) {
    for (AgentSummary a : store.agents(projectId)) if (sessionId(a.agentId()).equals(sessionId)) return a.agentId();
    return null;
  }

  /** {@code GET /sessions[?name=]}: the project's agents as LangSmith projects, paged by offset. */
  HttpResponse sessions(Call call) {
    String projectId = call.project().projectId();
    String name = call.param("name");
    String contains = call.param("name_contains");
    int limit = RunQueryParser.intParam(call, "limit", 100, 1000);
    int offset = ScoreService.offset(call);
    ArrayNode out = Json.NODES.arrayNode();
    int skipped = 0;
    for (AgentSummary a : store.agents(projectId)) {
      if (name != null && !name.equals(a.agentId())) continue;
      if (contains != null && !a.agentId().contains(contains)) continue;
      if (skipped++ < offset) continue;
      if (out.size() == limit) break;
      out.add(session(projectId, a));
    }
    return Responses.ok(out);
  }

  /** {@code GET /sessions/{sessionId}}. */
  HttpResponse session(Call call) {
    String projectId = call.project().projectId();
    String id = call.path("sessionId");
    for (AgentSummary a : store.agents(projectId)) {
      if (sessionId(a.agentId()).equals(id)) return Responses.ok(session(projectId, a));
    }
    throw HttpFailure.notFound("project (session) " + id + " does not exist");
  }

  private static ObjectNode session(String projectId, AgentSummary a) {
    ObjectNode o = Json.object();
    o.put("id", sessionId(a.agentId()));
    o.put("name", a.agentId());
    o.put("tenant_id", tenantId(projectId));
    o.putNull("description");
    o.putNull("reference_dataset_id");
    o.put("run_count", a.runCount());
    o.put("last_run_start_time", a.lastSeen() == null ? null : a.lastSeen().toString());
    o.set("extra", Json.object());
    return o;
  }

  /** {@code POST /feedback}: stored as a score of the run (or step) it names. */
  HttpResponse createFeedback(Call call) {
    JsonNode body = Bodies.jsonObject(call, 1024 * 1024);
    Project project = call.project();
    Score score;
    try {
      score = LangSmithFeedback.parse(body, clock.instant());
    } catch (IllegalArgumentException e) {
      throw new HttpFailure(HttpStatus.BAD_REQUEST, "invalid_feedback", e.getMessage());
    }
    Score stored = pipeline.scrub(project, score);
    store.putScores(project.projectId(), List.of(stored));
    return Responses.ok(LangSmithFeedback.toJson(stored));
  }

  /** {@code GET /feedback?run=&key=&source=&limit=&offset=}. */
  HttpResponse listFeedback(Call call) {
    var params = call.ctx().queryParams();
    int limit = RunQueryParser.intParam(call, "limit", MAX_FEEDBACK_LIMIT, MAX_FEEDBACK_LIMIT);
    String projectId = call.project().projectId();
    List<String> runs = params.getAll("run");
    List<Score> scores = store.scores(projectId,
        new ScoreQuery(List.of(), params.getAll("key"), params.getAll("source"), Integer.MAX_VALUE, 0));
    ArrayNode out = Json.NODES.arrayNode();
    int offset = ScoreService.offset(call);
    int skipped = 0;
    for (Score s : scores) {
      // a LangSmith run id is a Sextant run (a trace root) or a step of one
      if (!runs.isEmpty() && !runs.contains(s.stepId() != null ? s.stepId() : s.runId())) continue;
      if (skipped++ < offset) continue;
      out.add(LangSmithFeedback.toJson(s));
      if (out.size() == limit) break;
    }
    return Responses.ok(out);
  }

  /** {@code GET /feedback/{feedbackId}}. */
  HttpResponse readFeedback(Call call) {
    String id = call.path("feedbackId");
    Score s = store.score(call.project().projectId(), id)
        .orElseThrow(() -> HttpFailure.notFound("feedback " + id + " does not exist in this project"));
    return Responses.ok(LangSmithFeedback.toJson(s));
  }

  /** {@code key -> {n, avg}} per LangSmith run id (run or step) among the scores of {@code runIds}. */
  private Map<String, ObjectNode> feedbackStats(String projectId, List<String> runIds) {
    Map<String, ObjectNode> out = new HashMap<>();
    if (runIds.isEmpty()) return out;
    Map<String, Map<String, double[]>> sums = new LinkedHashMap<>();
    for (Score s : store.scores(projectId, new ScoreQuery(runIds, List.of(), List.of(), 10_000, 0))) {
      String target = s.stepId() != null ? s.stepId() : s.runId();
      double[] acc = sums.computeIfAbsent(target, k -> new LinkedHashMap<>()).computeIfAbsent(s.name(), k -> new double[3]);
      acc[0]++;
      if (s.value() != null) {
        acc[1] += s.value();
        acc[2]++;
      }
    }
    sums.forEach((target, byKey) -> {
      ObjectNode stats = Json.object();
      byKey.forEach((key, acc) -> {
        ObjectNode k = stats.putObject(key);
        k.put("n", (long) acc[0]);
        if (acc[2] == 0) k.putNull("avg");
        else k.put("avg", acc[1] / acc[2]);
      });
      out.put(target, stats);
    });
    return out;
  }

  private ObjectNode root(String projectId, RunDetail d, Map<String, ObjectNode> stats) {
    RunSummary r = d.run();
    StepSummary self = d.steps().stream().filter(s -> s.stepId().equals(r.runId())).findFirst().orElse(null);
    ObjectNode o = base(r.runId(), r.name(), self == null ? "chain" : runType(self.type()), r.startTime(),
        r.endTime(), status(r.status()), d.failure() == null ? null
            : d.failure().message() != null ? d.failure().message() : d.failure().type() + "/" + d.failure().code());
    o.putNull("parent_run_id");
    o.putArray("parent_run_ids");
    o.put("trace_id", r.runId());
    o.put("session_id", sessionId(r.agentId()));
    o.set("inputs", object(d.input()));
    o.set("outputs", d.output() == null ? null : object(d.output()));
    ObjectNode extra = o.putObject("extra");
    ObjectNode metadata = extra.putObject("metadata");
    if (d.metadata() != null && d.metadata().isObject()) metadata.setAll((ObjectNode) d.metadata());
    if (r.agentVersion() != null) metadata.put("agent_version", r.agentVersion());
    if (r.environment() != null) metadata.put("environment", r.environment());
    ArrayNode tags = o.putArray("tags");
    if (r.labels() != null) r.labels().forEach((k, v) -> tags.add(k + ":" + v));
    tokens(o, r.inputTokens(), r.outputTokens(), r.costUsd());
    o.set("feedback_stats", stats.get(r.runId()));
    o.putArray("child_run_ids");
    return o;
  }

  private static ObjectNode child(RunDetail d, StepSummary s, StepDetail full, ObjectNode stats) {
    ObjectNode o = base(s.stepId(), s.name(), runType(s.type()), s.startTime(), s.endTime(),
        s.endTime() == null && s.status() == null ? "pending" : s.error() != null ? "error" : "success",
        s.error() == null ? null : s.error().message() != null ? s.error().message() : s.error().type());
    String parent = s.parentStepId() != null ? s.parentStepId() : d.run().runId();
    o.put("parent_run_id", parent);
    o.putArray("parent_run_ids").add(parent);
    o.put("trace_id", d.run().runId());
    o.put("session_id", sessionId(d.run().agentId()));
    o.set("inputs", object(full == null ? null : full.input()));
    o.set("outputs", full == null || full.output() == null ? null : object(full.output()));
    ObjectNode extra = o.putObject("extra");
    extra.set("metadata", full == null || full.metadata() == null ? Json.object() : full.metadata());
    if (s.model() != null) ((ObjectNode) extra.get("metadata")).put("ls_model_name", s.model());
    o.putArray("tags");
    tokens(o, s.inputTokens(), s.outputTokens(), s.costUsd());
    o.set("feedback_stats", stats);
    o.putArray("child_run_ids");
    return o;
  }

  private static ObjectNode base(String id, String name, String runType, java.time.Instant start,
      java.time.Instant end, String status, String error) {
    ObjectNode o = Json.object();
    o.put("id", id);
    o.put("name", name);
    o.put("run_type", runType);
    o.put("start_time", start == null ? null : start.toString());
    o.put("end_time", end == null ? null : end.toString());
    o.put("status", status);
    o.put("error", error);
    o.putArray("events");
    o.putNull("dotted_order");
    o.putNull("reference_example_id");
    return o;
  }

  private static void tokens(ObjectNode o, Long in, Long out, Double cost) {
    if (in == null) o.putNull("prompt_tokens");
    else o.put("prompt_tokens", in);
    if (out == null) o.putNull("completion_tokens");
    else o.put("completion_tokens", out);
    if (in == null && out == null) o.putNull("total_tokens");
    else o.put("total_tokens", (in == null ? 0 : in) + (out == null ? 0 : out));
    if (cost == null) o.putNull("total_cost");
    else o.put("total_cost", cost);
  }

  private static String status(String s) {
    if (RunStatus.RUNNING.wire().equals(s)) return "pending";
    return RunStatus.FAILURE.wire().equals(s) ? "error" : "success";
  }

  private static String runType(String type) {
    return type == null ? "chain" : AgentSpyService.runType(type);
  }

  private static JsonNode object(JsonNode v) {
    return v == null || v.isNull() ? Json.object() : v.isObject() ? v : Json.object().set("value", v);
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw HttpFailure.badRequest(field + " must be a string");
    return v.textValue();
  }

  private static Boolean bool(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isBoolean()) throw HttpFailure.badRequest(field + " must be true, false or null");
    return v.booleanValue();
  }

  private static List<String> strings(JsonNode o, String field) {
    JsonNode v = o.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) return out;
    if (v.isTextual()) {
      out.add(v.textValue());
      return out;
    }
    if (!v.isArray()) throw HttpFailure.badRequest(field + " must be a list of ids");
    for (JsonNode x : v) {
      if (!x.isTextual()) throw HttpFailure.badRequest(field + " must be a list of ids");
      out.add(x.textValue());
    }
    return out;
  }
}
