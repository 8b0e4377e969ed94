package dev.sextant.transfer;

import static dev.sextant.protocol.Lenient.firstText;
import static dev.sextant.protocol.Lenient.object;
import static dev.sextant.protocol.Lenient.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Batch;
import dev.sextant.model.Failure;
import dev.sextant.model.FailureTaxonomy;
import dev.sextant.model.Item;
import dev.sextant.model.ItemError;
import dev.sextant.model.Position;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepError;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.protocol.BadRequest;
import dev.sextant.protocol.Lenient;
import dev.sextant.protocol.LenientTimes;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * AgentTracer's run payload, as its SDK posts it when a {@code start_run()} block ends: {@code
 * run_id, agent_id, agent_version, environment, status, started_at, ended_at, steps[{step_id, seq,
 * step_type, name, latency_ms, started_at, ended_at, metadata}], failure{failure_type,
 * failure_code, message, step_id}} (the last from {@code record_failure}). A file may hold one
 * payload, an array of them, {@code {"runs": […]}}, or payloads one after another (JSON Lines).
 * A failure that names a step marks that step failed with the failure's type and code.
 */
final class AgentTracerDecoder implements SeedDecoder {
  private static final Set<String> RUN_FIELDS = Set.of("run_id", "agent_id", "agent_version", "environment",
      "status", "started_at", "ended_at", "steps", "failure");
  private static final Set<String> STEP_FIELDS = Set.of("step_id", "seq", "step_type", "name", "latency_ms",
      "started_at", "ended_at", "metadata");

  @Override
  public Batch<Position> decode(ObjectMapper mapper, InputStream in) {
    List<JsonNode> runs = new ArrayList<>();
    for (JsonNode doc : Seeds.documents(mapper, in, "AgentTracer")) {
      if (doc.isObject() && doc.path("runs").isArray()) doc.path("runs").forEach(runs::add);
      else runs.add(doc);
    }
    List<Item<RunRecord, Position>> out = new ArrayList<>();
    List<Item<StepRecord, Position>> steps = new ArrayList<>();
    List<ItemError<Position>> errors = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      JsonNode r = runs.get(i);
      List<RunRecord> runRecords = new ArrayList<>(1);
      List<StepRecord> stepRecords = new ArrayList<>();
      try {
        if (!r.isObject() || text(r, "run_id") == null) {
          throw new IllegalArgumentException("an AgentTracer run must be an object with run_id (as start_run() posts it)");
        }
        run(r, runRecords, stepRecords);
      } catch (IllegalArgumentException e) {
        errors.add(new ItemError<>(Position.run(i), e.getMessage()));
      }
      Seeds.add(out, runRecords, Position.run(i));
      Seeds.add(steps, stepRecords, Position.run(i));
    }
    if (out.isEmpty() && errors.isEmpty()) {
      throw new BadRequest("invalid_body", "the AgentTracer file holds no runs: expected run payloads with run_id and steps");
    }
    return new Batch<>(out, steps, errors);
  }

  private static void run(JsonNode r, List<RunRecord> runs, List<StepRecord> steps) {
    String runId = text(r, "run_id");
    ObjectNode f = object(r, "failure");
    Failure failure = null;
    if (f != null) {
      String type = Lenient.text(f, "failure_type");
      failure = new Failure(type, firstText(f, "failure_code"), text(f, "message"), text(f, "step_id"));
    }
    String status = text(r, "status");
    RunStatus parsed = status == null ? null : RunStatus.parse(status);
    runs.add(RunRecord.builder(runId).agentId(text(r, "agent_id")).agentVersion(text(r, "agent_version"))
        .environment(text(r, "environment")).startNanos(LenientTimes.read(r, "started_at"))
        .endNanos(LenientTimes.read(r, "ended_at")).status(parsed).failure(failure)
        .metadata(Seeds.unknown(r, RUN_FIELDS)).build());
    JsonNode list = r.path("steps");
    for (int i = 0; i < list.size(); i++) {
      JsonNode s = list.get(i);
      String stepId = text(s, "step_id");
      if (stepId == null) throw new IllegalArgumentException("steps[" + i + "].step_id is required");
      Long start = LenientTimes.read(s, "started_at");
      Long end = LenientTimes.read(s, "ended_at");
      Long latency = Lenient.count(s, "latency_ms");
      if (end == null && start != null && latency != null) end = start + latency * 1_000_000L;
      boolean failed = failure != null && stepId.equals(failure.stepId());
      StepError error = failed ? new StepError(failure.type(), failure.code(), failure.message()) : null;
      Long seq = Lenient.count(s, "seq");
      ObjectNode metadata = Seeds.merge(Seeds.unknown(s, STEP_FIELDS), s.get("metadata"));
      steps.add(Seeds.step(runId, stepId, null, seq == null ? null : (int) Math.min(seq + 1, Integer.MAX_VALUE),
          type(text(s, "step_type")), text(s, "name"), start, end, failed ? FailureTaxonomy.stepStatus(error.code()) : StepStatus.OK,
          null, null, null, null, error, metadata, null, null, null));
    }
  }

  /** AgentTracer's step types: plan, retrieve, tool, respond, other. */
  static String type(String t) {
    if (t == null) return null;
    switch (t) {
      case "retrieve": return "retrieval";
      case "other": return "custom";
      default: return t;
    }
  }
}
