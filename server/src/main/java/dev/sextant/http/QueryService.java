package dev.sextant.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import dev.sextant.analysis.LatencyComparison;
import dev.sextant.model.Json;
import dev.sextant.store.RunDetail;
import dev.sextant.store.RunQuery;
import dev.sextant.store.Stats;
import dev.sextant.store.StepDetail;
import dev.sextant.store.TraceReader;
import java.util.LinkedHashMap;
import java.util.Map;

/** The read-only query API: runs, one run, one step, stats, timeseries, compare, agents. */
final class QueryService {
  private static final int MAX_BUCKETS = 500;
  private final TraceReader store;

  QueryService(TraceReader store) {
    this.store = store;
  }

  HttpResponse runs(Call call) {
    return Responses.ok(store.listRuns(call.project().projectId(), RunQueryParser.parse(call)));
  }

  HttpResponse run(Call call) {
    String runId = call.path("runId");
    RunDetail d = store.getRun(call.project().projectId(), runId)
        .orElseThrow(() -> HttpFailure.notFound("run " + runId + " does not exist in this project"));
    ObjectNode body = Json.object();
    ObjectNode run = Json.MAPPER.valueToTree(d.run());
    run.set("metadata", d.metadata() == null ? Json.object() : d.metadata());
    run.set("input", d.input());
    run.set("output", d.output());
    body.set("run", run);
    body.set("failure", Json.MAPPER.valueToTree(d.failure()));
    body.set("steps", Json.MAPPER.valueToTree(d.steps()));
    return Responses.ok(body);
  }

  HttpResponse step(Call call) {
    String runId = call.path("runId");
    String stepId = call.path("stepId");
    StepDetail d = store.getStep(call.project().projectId(), runId, stepId)
        .orElseThrow(() -> HttpFailure.notFound("step " + stepId + " does not exist in run " + runId));
    ObjectNode body = Json.MAPPER.valueToTree(d.step());
    body.put("provider", d.provider());
    putLong(body, "cache_read_tokens", d.cacheReadTokens());
    putLong(body, "reasoning_tokens", d.reasoningTokens());
    if (d.timeToFirstTokenMs() == null) body.putNull("time_to_first_token_ms");
    else body.put("time_to_first_token_ms", d.timeToFirstTokenMs());
    body.set("metadata", d.metadata());
    body.set("input", d.input());
    body.set("output", d.output());
    body.set("events", Json.MAPPER.valueToTree(d.events()));
    body.put("event_count", d.events().size());
    body.set("normalization", Json.MAPPER.valueToTree(d.normalization()));
    return Responses.ok(body);
  }

  HttpResponse stats(Call call) {
    return Responses.ok(store.stats(call.project().projectId(), RunQueryParser.parse(call)));
  }

  HttpResponse timeseries(Call call) {
    int buckets = RunQueryParser.intParam(call, "buckets", 60, MAX_BUCKETS);
    return Responses.ok(store.timeseries(call.project().projectId(), RunQueryParser.parse(call), buckets));
  }

  HttpResponse agents(Call call) {
    ObjectNode body = Json.object();
    body.set("agents", Json.MAPPER.valueToTree(store.agents(call.project().projectId())));
    return Responses.ok(body);
  }

  /**
   * Stats of two versions of one agent: {@code a} and {@code b} are each the {@code /v1/stats} body
   * for that version (plus {@code version} and {@code per_run}), and the top-level {@code
   * by_step_type} and {@code failures} rows align the two side by side; {@code significance} says
   * which differences are beyond chance ({@link CompareSignificance}).
   */
  HttpResponse compare(Call call) {
    String agent = call.param("agent");
    String a = call.param("a");
    String b = call.param("b");
    if (agent == null) throw HttpFailure.badRequest("agent is required, e.g. ?agent=support-agent&a=v1&b=v2");
    if (a == null || b == null) throw HttpFailure.badRequest("a and b are required: the two versions to compare");
    String project = call.project().projectId();
    RunQuery filter = RunQueryParser.parse(call);
    Stats sa = store.stats(project, filter.withVersion(a));
    Stats sb = store.stats(project, filter.withVersion(b));
    ObjectNode body = Json.object();
    body.put("agent", agent);
    body.set("a", side(a, sa));
    body.set("b", side(b, sb));
    Map<String, Stats.StepTypeStats[]> types = new LinkedHashMap<>();
    for (Stats.StepTypeStats t : sa.byStepType()) types.computeIfAbsent(t.type(), k -> new Stats.StepTypeStats[2])[0] = t;
    for (Stats.StepTypeStats t : sb.byStepType()) types.computeIfAbsent(t.type(), k -> new Stats.StepTypeStats[2])[1] = t;
    ArrayNode typeRows = body.putArray("by_step_type");
    for (Map.Entry<String, Stats.StepTypeStats[]> e : types.entrySet()) {
      ObjectNode row = typeRows.addObject();
      row.put("type", e.getKey());
      row.set("a", Json.MAPPER.valueToTree(e.getValue()[0]));
      row.set("b", Json.MAPPER.valueToTree(e.getValue()[1]));
    }
    Map<String, long[]> failures = new LinkedHashMap<>();
    for (Stats.FailureCount f : sa.failures()) failures.computeIfAbsent(f.type() + "\u0000" + f.code(), k -> new long[2])[0] = f.count();
    for (Stats.FailureCount f : sb.failures()) failures.computeIfAbsent(f.type() + "\u0000" + f.code(), k -> new long[2])[1] = f.count();
    ArrayNode failureRows = body.putArray("failures");
    for (Map.Entry<String, long[]> e : failures.entrySet()) {
      ObjectNode row = CompareSignificance.failureRow(failureRows, e.getKey());
      row.put("a", e.getValue()[0]);
      row.put("b", e.getValue()[1]);
    }
    LatencyComparison latency = LatencyComparison.of((q, fractions) -> store.runQuantiles(project, q, fractions),
        filter.withVersion(a), sa.runs().total() - sa.runs().running(),
        filter.withVersion(b), sb.runs().total() - sb.runs().running());
    body.set("significance", CompareSignificance.of(sa, sb, failures, store.costPerRun(project, filter.withVersion(a)),
        store.costPerRun(project, filter.withVersion(b)), latency));
    return Responses.ok(body);
  }

  /**
   * One version's side: the {@code /v1/stats} body itself, every field at the top level, extended
   * with {@code version} and {@code per_run} (names no stats field uses).
   */
  private static ObjectNode side(String version, Stats s) {
    ObjectNode o = Json.MAPPER.valueToTree(s);
    o.put("version", version);
    long total = s.runs().total();
    ObjectNode perRun = o.putObject("per_run");
    perRun.put("retries", total == 0 ? 0 : (double) s.retries() / total);
    perRun.put("input_tokens", total == 0 ? 0 : (double) s.tokens().input() / total);
    perRun.put("output_tokens", total == 0 ? 0 : (double) s.tokens().output() / total);
    perRun.put("cost_usd", total == 0 ? 0 : s.costUsd() / total);
    return o;
  }

  private static void putLong(ObjectNode o, String field, Long v) {
    if (v == null) o.putNull(field);
    else o.put(field, v);
  }

}
