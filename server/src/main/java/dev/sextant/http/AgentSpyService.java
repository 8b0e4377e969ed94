package dev.sextant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import dev.sextant.model.Json;
import dev.sextant.model.RunStatus;
import dev.sextant.model.Times;
import dev.sextant.store.AgentSummary;
import dev.sextant.store.RunDetail;
import dev.sextant.store.RunPage;
import dev.sextant.store.RunQuery;
import dev.sextant.store.RunSummary;
import dev.sextant.store.Stats;
import dev.sextant.store.StepSummary;
import dev.sextant.store.TraceReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Agent Spy's dashboard read paths, in its shapes, for scripts written against it: {@code GET
 * /api/v1/dashboard/runs/roots}, {@code …/runs/{id}/hierarchy} and {@code …/stats/summary}. A
 * Sextant run is an Agent Spy root run (run type {@code chain}, project = agent), its steps the
 * child runs; statuses read {@code running}, {@code completed} or {@code failed}.
 */
final class AgentSpyService {
  static final int MAX_LIMIT = 200;
  static final int MAX_OFFSET = 10_000;
  private static final int RECENT_PROJECTS = 10;

  private final TraceReader store;
  private final Clock clock;

  AgentSpyService(TraceReader store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Root runs, newest first, with offset paging and Agent Spy's filters. */
  HttpResponse roots(Call call) {
    String project = call.project().projectId();
    int limit = RunQueryParser.intParam(call, "limit", 50, MAX_LIMIT);
    int offset = offset(call);
    String status = call.param("status");
    String wire = null;
    if (status != null) {
      switch (status) {
        case "running": wire = RunStatus.RUNNING.wire(); break;
        case "completed": wire = RunStatus.SUCCESS.wire(); break;
        case "failed": wire = RunStatus.FAILURE.wire(); break;
        default: throw HttpFailure.badRequest("status must be running, completed or failed, got \"" + status + "\"");
      }
    }
    RunQuery q = new RunQuery(call.param("project_name"), null, null, wire, null, null, null, List.of(),
        call.param("search"), time(call, "start_time_gte"), time(call, "start_time_lte"), null, null,
        RunQuery.Sort.START_TIME, offset + limit, null);
    RunPage page = store.listRuns(project, q);
    List<RunSummary> runs = page.runs().subList(Math.min(offset, page.runs().size()), page.runs().size());
    long total = store.stats(project, q).runs().total();
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("runs");
    for (RunSummary r : runs) list.add(rootRun(r, null));
    body.put("total", total);
    body.put("limit", limit);
    body.put("offset", offset);
    body.put("has_more", offset + runs.size() < total);
    return Responses.ok(body);
  }

  /** One run with its steps as a tree of child runs. */
  HttpResponse hierarchy(Call call) {
    String runId = call.path("runId");
    RunDetail d = store.getRun(call.project().projectId(), runId)
        .orElseThrow(() -> HttpFailure.notFound("run " + runId + " does not exist in this project"));
    ObjectNode root = node(runId, d.run().name(), "chain", status(d.run().status()), d.run().startTime(),
        d.run().endTime(), null, d.failure() == null ? null : d.failure().message(), d.run().durationMs());
    root.set("inputs", object(d.input()));
    root.set("outputs", object(d.output()));
    root.set("extra", extra(d.metadata(), d.run()));
    Map<String, ObjectNode> byId = new HashMap<>();
    for (StepSummary s : d.steps()) {
      byId.put(s.stepId(), node(s.stepId(), s.name(), runType(s.type()), stepStatus(s),
          s.startTime(), s.endTime(), s.parentStepId() == null ? runId : s.parentStepId(),
          s.error() == null ? null : s.error().message(), s.durationMs()));
    }
    for (StepSummary s : d.steps()) {
      ObjectNode parent = s.parentStepId() == null ? null : byId.get(s.parentStepId());
      if (parent == null) parent = root;
      ((ArrayNode) parent.get("children")).add(byId.get(s.stepId()));
    }
    ObjectNode body = Json.object();
    body.put("root_run_id", runId);
    body.set("hierarchy", root);
    body.put("total_runs", 1 + d.steps().size());
    body.put("max_depth", depth(root));
    return Responses.ok(body);
  }

  /** Counts for Agent Spy's dashboard header: runs and steps, by status, type and project. */
  HttpResponse summary(Call call) {
    String project = call.project().projectId();
    Instant now = clock.instant();
    Stats all = store.stats(project, RunQuery.all());
    RunQuery lastDay = new RunQuery(null, null, null, null, null, null, null, List.of(), null,
        Times.toNanos(now.minus(Duration.ofHours(24))), null, null, null, RunQuery.Sort.START_TIME, 50, null);
    Stats day = store.stats(project, lastDay);
    ObjectNode stats = Json.object();
    stats.put("total_runs", all.runs().total() + steps(all));
    stats.put("total_traces", all.runs().total());
    stats.put("recent_runs_24h", day.runs().total() + steps(day));
    ObjectNode statuses = stats.putObject("status_distribution");
    statuses.put("completed", all.runs().success() + all.runs().partial());
    statuses.put("failed", all.runs().failure());
    statuses.put("running", all.runs().running());
    ObjectNode types = stats.putObject("run_type_distribution");
    types.put("chain", all.runs().total());
    for (Stats.StepTypeStats t : all.byStepType()) {
      String type = runType(t.type());
      types.put(type, types.path(type).asLong() + t.count());
    }
    ObjectNode projects = stats.putObject("project_distribution");
    List<AgentSummary> agents = new ArrayList<>(store.agents(project));
    for (AgentSummary a : agents) projects.put(a.agentId(), a.runCount());
    agents.sort((a, b) -> b.lastSeen().compareTo(a.lastSeen()));
    ArrayNode recent = Json.NODES.arrayNode();
    Instant weekAgo = now.minus(Duration.ofDays(7));
    for (AgentSummary a : agents) {
      if (recent.size() == RECENT_PROJECTS || a.lastSeen().isBefore(weekAgo)) break;
      Stats s = store.stats(project, new RunQuery(a.agentId(), null, null, null, null, null, null, List.of(), null,
          null, null, null, null, RunQuery.Sort.START_TIME, 50, null));
      ObjectNode p = recent.addObject();
      p.put("name", a.agentId());
      p.put("total_runs", s.runs().total() + steps(s));
      p.put("total_traces", s.runs().total());
      p.put("last_activity", a.lastSeen().toString());
    }
    ObjectNode body = Json.object();
    body.set("stats", stats);
    body.set("recent_projects", recent);
    body.put("timestamp", now.toString());
    return Responses.ok(body);
  }

  private static ObjectNode rootRun(RunSummary r, JsonNode metadata) {
    ObjectNode o = node(r.runId(), r.name(), "chain", status(r.status()), r.startTime(), r.endTime(), null, null,
        r.durationMs());
    o.remove("children");
    o.set("inputs", Json.object());
    o.putNull("outputs");
    o.put("trace_id", r.runId());
    o.put("project_name", r.agentId());
    o.set("extra", extra(metadata, r));
    if (r.inputTokens() == null) o.putNull("prompt_tokens");
    else o.put("prompt_tokens", r.inputTokens());
    if (r.outputTokens() == null) o.putNull("completion_tokens");
    else o.put("completion_tokens", r.outputTokens());
    if (r.inputTokens() == null && r.outputTokens() == null) o.putNull("total_tokens");
    else o.put("total_tokens", (r.inputTokens() == null ? 0 : r.inputTokens()) + (r.outputTokens() == null ? 0 : r.outputTokens()));
    if (r.costUsd() == null) o.putNull("total_cost");
    else o.put("total_cost", r.costUsd());
    if (r.failure() != null) o.put("error", r.failure().type() + "/" + r.failure().code());
    return o;
  }

  private static ObjectNode node(String id, String name, String runType, String status, Instant start, Instant end,
      String parent, String error, Double durationMs) {
    ObjectNode o = Json.object();
    o.put("id", id);
    o.put("name", name);
    o.put("run_type", runType);
    o.put("status", status);
    o.put("start_time", start == null ? null : start.toString());
    o.put("end_time", end == null ? null : end.toString());
    o.put("parent_run_id", parent);
    o.putNull("inputs");
    o.putNull("outputs");
    o.put("error", error);
    o.putNull("extra");
    o.putNull("tags");
    if (durationMs == null) o.putNull("duration_ms");
    else o.put("duration_ms", (long) Math.floor(durationMs));
    o.putArray("children");
    return o;
  }

  private static ObjectNode extra(JsonNode metadata, RunSummary r) {
    ObjectNode extra = Json.object();
    ObjectNode m = extra.putObject("metadata");
    if (metadata != null && metadata.isObject()) m.setAll((ObjectNode) metadata);
    if (r.agentVersion() != null) m.put("agent_version", r.agentVersion());
    if (r.environment() != null) m.put("environment", r.environment());
    if (r.labels() != null && !r.labels().isEmpty()) extra.set("labels", Json.MAPPER.valueToTree(r.labels()));
    return extra;
  }

  private static JsonNode object(JsonNode v) {
    return v == null || v.isNull() ? Json.object() : v.isObject() ? v : Json.object().set("value", v);
  }

  /** Sextant's run status in Agent Spy's words. */
  static String status(String s) {
    if (RunStatus.RUNNING.wire().equals(s)) return "running";
    return RunStatus.FAILURE.wire().equals(s) ? "failed" : "completed";
  }

  private static String stepStatus(StepSummary s) {
    if (s.status() == null) return s.endTime() == null ? "running" : "completed";
    return s.status().equals("ok") ? "completed" : "failed";
  }

  /** Sextant's step types as LangSmith run types, which Agent Spy uses. */
  static String runType(String type) {
    switch (type) {
      case "llm": case "tool": case "embedding": case "prompt": case "parser": return type;
      case "retrieval": return "retriever";
      default: return "chain";
    }
  }

  private static long steps(Stats s) {
    long n = 0;
    for (Stats.StepTypeStats t : s.byStepType()) n += t.count();
    return n;
  }

  private static int depth(JsonNode node) {
    int max = 0;
    for (JsonNode c : node.path("children")) max = Math.max(max, 1 + depth(c));
    return max;
  }

  private static int offset(Call call) {
    String v = call.param("offset");
    if (v == null) return 0;
    try {
      int n = Integer.parseInt(v);
      if (n >= 0 && n <= MAX_OFFSET) return n;
    } catch (NumberFormatException e) {
      // below
    }
    throw HttpFailure.badRequest("offset must be an integer from 0 to " + MAX_OFFSET + ", got \"" + v + "\"");
  }

  private static Long time(Call call, String name) {
    String v = call.param(name);
    if (v == null) return null;
    try {
      return Times.parseBound(v.contains("+") || v.endsWith("Z") || v.endsWith("z") ? v : v + "Z");
    } catch (IllegalArgumentException e) {
      throw HttpFailure.badRequest(name + " " + e.getMessage());
    }
  }
}
