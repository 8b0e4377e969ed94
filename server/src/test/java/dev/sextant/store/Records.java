package dev.sextant.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Failure;
import dev.sextant.model.Json;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepError;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import java.util.List;
import java.util.Map;

/** Builders of canonical records for store tests. Times are milliseconds from {@link #T0}. */
public final class Records {
  /** 2026-11-22T10:00:00Z in epoch nanoseconds. */
  public static final long T0 = 1_795_341_600_000_000_000L;

  private Records() {}

  public static long at(double ms) {
    return T0 + (long) (ms * 1_000_000);
  }

  public static RunRecord run(String id, String agent, String version, double startMs, Double endMs, RunStatus status) {
    return RunRecord.builder(id).agentId(agent).agentVersion(version).environment("production").name("handle_ticket")
        .labels(Map.of()).startNanos(at(startMs)).endNanos(endMs == null ? null : at(endMs)).status(status).build();
  }

  public static RunRecord failedRun(String id, String agent, String version, double startMs, double endMs,
      String type, String code, String stepId) {
    return RunRecord.builder(id).agentId(agent).agentVersion(version).environment("production").name("handle_ticket")
        .labels(Map.of()).startNanos(at(startMs)).endNanos(at(endMs)).status(RunStatus.FAILURE)
        .failure(new Failure(type, code, "boom", stepId)).build();
  }

  public static StepRecord step(String runId, String stepId, int seq, String type, double startMs, double endMs,
      StepStatus status) {
    return StepRecord.builder(runId, stepId).seq(seq).type(type).name(type + "_" + seq).startNanos(at(startMs))
        .endNanos(at(endMs)).status(status).build();
  }

  public static StepRecord child(StepRecord s, String parent) {
    return s.toBuilder().parentStepId(parent).build();
  }

  public static StepRecord llm(StepRecord s, String model, long in, long out, double cost) {
    return s.toBuilder().model(model).provider("openai").inputTokens(in).outputTokens(out).costUsd(cost)
        .timeToFirstTokenMs(120.0).build();
  }

  public static StepRecord attempt(StepRecord s, int attempt, String retryOf) {
    return s.toBuilder().attempt(attempt).retryOf(retryOf)
        .error(s.status() != null && s.status().failed() ? new StepError("tool", "timeout", "timed out") : s.error())
        .build();
  }

  public static StepRecord withError(StepRecord s, String type, String code) {
    return s.toBuilder().error(new StepError(type, code, code + " in " + s.stepId())).build();
  }

  public static StepRecord withDetails(StepRecord s) {
    ObjectNode meta = Json.object();
    meta.put("http_status", 504);
    meta.put("tool", "billing_api");
    ObjectNode attrs = Json.object();
    attrs.put("seq", 1);
    return s.toBuilder().cacheReadTokens(7L).reasoningTokens(3L).error(new StepError("tool", "timeout", "slow"))
        .metadata(meta).input(Json.NODES.textNode("in")).output(Json.NODES.textNode("out"))
        .events(List.of(new StepEvent("chunk", s.startNanos() + 1000, attrs)))
        .normalization(Map.of("type", "test=tool")).build();
  }

  public static WriteBatch batch(String project, List<RunRecord> runs, List<StepRecord> steps) {
    return new WriteBatch(project, runs, steps);
  }
}
