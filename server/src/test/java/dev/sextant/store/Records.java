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
    return new RunRecord(id, agent, version, "production", "handle_ticket", null, Map.of(), at(startMs),
        endMs == null ? null : at(endMs), status, null, null, null, null);
  }

  public static RunRecord failedRun(String id, String agent, String version, double startMs, double endMs,
      String type, String code, String stepId) {
    return new RunRecord(id, agent, version, "production", "handle_ticket", null, Map.of(), at(startMs), at(endMs),
        RunStatus.FAILURE, new Failure(type, code, "boom", stepId), null, null, null);
  }

  public static StepRecord step(String runId, String stepId, int seq, String type, double startMs, double endMs,
      StepStatus status) {
    return new StepRecord(runId, stepId, null, seq, type, type + "_" + seq, at(startMs), at(endMs), status, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  public static StepRecord child(StepRecord s, String parent) {
    return new StepRecord(s.runId(), s.stepId(), parent, s.seq(), s.type(), s.name(), s.startNanos(), s.endNanos(),
        s.status(), s.attempt(), s.retryOf(), s.model(), s.provider(), s.inputTokens(), s.outputTokens(),
        s.cacheReadTokens(), s.reasoningTokens(), s.costUsd(), s.timeToFirstTokenMs(), s.error(), s.metadata(),
        s.input(), s.output(), s.events(), s.normalization());
  }

  public static StepRecord llm(StepRecord s, String model, long in, long out, double cost) {
    return new StepRecord(s.runId(), s.stepId(), s.parentStepId(), s.seq(), s.type(), s.name(), s.startNanos(),
        s.endNanos(), s.status(), s.attempt(), s.retryOf(), model, "openai", in, out, null, null, cost, 120.0,
        s.error(), s.metadata(), s.input(), s.output(), s.events(), s.normalization());
  }

  public static StepRecord attempt(StepRecord s, int attempt, String retryOf) {
    return new StepRecord(s.runId(), s.stepId(), s.parentStepId(), s.seq(), s.type(), s.name(), s.startNanos(),
        s.endNanos(), s.status(), attempt, retryOf, s.model(), s.provider(), s.inputTokens(), s.outputTokens(),
        s.cacheReadTokens(), s.reasoningTokens(), s.costUsd(), s.timeToFirstTokenMs(),
        s.status() != null && s.status().failed() ? new StepError("tool", "timeout", "timed out") : s.error(),
        s.metadata(), s.input(), s.output(), s.events(), s.normalization());
  }

  public static StepRecord withError(StepRecord s, String type, String code) {
    return new StepRecord(s.runId(), s.stepId(), s.parentStepId(), s.seq(), s.type(), s.name(), s.startNanos(),
        s.endNanos(), s.status(), s.attempt(), s.retryOf(), s.model(), s.provider(), s.inputTokens(),
        s.outputTokens(), s.cacheReadTokens(), s.reasoningTokens(), s.costUsd(), s.timeToFirstTokenMs(),
        new StepError(type, code, code + " in " + s.stepId()), s.metadata(), s.input(), s.output(), s.events(),
        s.normalization());
  }

  public static StepRecord withDetails(StepRecord s) {
    ObjectNode meta = Json.object();
    meta.put("http_status", 504);
    meta.put("tool", "billing_api");
    ObjectNode attrs = Json.object();
    attrs.put("seq", 1);
    return new StepRecord(s.runId(), s.stepId(), s.parentStepId(), s.seq(), s.type(), s.name(), s.startNanos(),
        s.endNanos(), s.status(), s.attempt(), s.retryOf(), s.model(), s.provider(), s.inputTokens(),
        s.outputTokens(), 7L, 3L, s.costUsd(), s.timeToFirstTokenMs(), new StepError("tool", "timeout", "slow"), meta,
        Json.NODES.textNode("in"), Json.NODES.textNode("out"),
        List.of(new StepEvent("chunk", s.startNanos() + 1000, attrs)), Map.of("type", "test=tool"));
  }

  public static WriteBatch batch(String project, List<RunRecord> runs, List<StepRecord> steps) {
    return new WriteBatch(project, runs, steps);
  }
}
