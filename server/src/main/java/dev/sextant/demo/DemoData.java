package dev.sextant.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.model.Batch;
import dev.sextant.model.Failure;
import dev.sextant.model.Json;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepError;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.model.Times;
import dev.sextant.store.Project;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Generates realistic agent runs for {@code sextant demo}: several agents and versions, every step
 * type, retries, every failure type, slow outliers, tokens and cost — with real differences between
 * versions so that stats and compare have something to show. Deterministic for a given seed and
 * clock minute, so a second demo start upserts the same runs instead of adding more.
 */
public final class DemoData {
  private record Agent(String id, String version, double llmSlowdown, double toolTimeout, double rateLimit,
      double emptyRetrieval, String model, double pricePerKInput, double pricePerKOutput) {}

  private static final List<Agent> AGENTS = List.of(
      new Agent("support-agent", "v1.0.0", 1.0, 0.10, 0.02, 0.03, "gpt-4o-mini", 0.00015, 0.0006),
      new Agent("support-agent", "v1.1.0", 1.35, 0.04, 0.05, 0.03, "gpt-4o", 0.0025, 0.01),
      new Agent("research-agent", "v2.0.0", 1.0, 0.05, 0.02, 0.08, "claude-3-5-sonnet", 0.003, 0.015),
      new Agent("research-agent", "v2.1.0", 0.8, 0.05, 0.02, 0.15, "claude-3-5-haiku", 0.0008, 0.004),
      new Agent("billing-agent", "v0.9.0", 1.1, 0.12, 0.03, 0.02, "gpt-4o-mini", 0.00015, 0.0006));

  private static final String[] TOOLS = {"billing_api", "crm_lookup", "order_status", "refund_api"};

  private final Clock clock;
  private final long seed;

  public DemoData(Clock clock, long seed) {
    this.clock = clock;
    this.seed = seed;
  }

  /** Writes {@code count} runs through the ingest pipeline and waits until they are committed. */
  public int write(IngestPipeline pipeline, Project project, int count) {
    Random random = new Random(seed);
    long now = Times.toNanos(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
    long span = Duration.ofHours(24).toNanos();
    List<RunRecord> runs = new ArrayList<>();
    List<StepRecord> steps = new ArrayList<>();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long start = now - span + (long) (random.nextDouble() * (span - Duration.ofMinutes(2).toNanos()));
      generate(random, AGENTS.get(random.nextInt(AGENTS.size())), start, runs, steps);
      if (runs.size() >= 50 || i == count - 1) {
        pending.add(pipeline.ingest(project, Batch.of(runs, steps), "demo"));
        runs = new ArrayList<>();
        steps = new ArrayList<>();
      }
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    return count;
  }

  /** One run: agent → plan → (memory) → retrieval(+embedding) → (rerank) → llm → tool attempts → guardrail → stream → respond. */
  private void generate(Random r, Agent a, long start, List<RunRecord> runs, List<StepRecord> steps) {
    String runId = uuid(r);
    Builder b = new Builder(runId, start, r);
    double slow = r.nextDouble() < 0.02 ? 8 + r.nextDouble() * 6 : 1.0;
    String root = b.step(null, "agent", "handle_request", 0, StepStatus.OK, null, null);
    Failure failure = null;
    boolean partial = false;

    b.advance(ms(r, 5, 20));
    String plan = b.step(root, "plan", "analyze_query", ms(r, 150, 600) * a.llmSlowdown * slow, null, null, null);
    b.llm(plan, a, r.nextInt(300) + 200, r.nextInt(80) + 20);
    if (r.nextDouble() < 0.01) {
      b.fail(plan, "orchestration", "max_iterations", "planner exceeded 8 iterations");
      failure = new Failure("orchestration", "max_iterations", "planner exceeded 8 iterations", plan);
    }
    if (failure == null && r.nextDouble() < 0.5) {
      b.step(root, "memory", "load_history", ms(r, 3, 25), StepStatus.OK, null, null);
    }
    if (failure == null) {
      String retrieval = b.step(root, "retrieval", "search_kb", 0, null, null, null);
      String embed = b.step(retrieval, "embedding", "embed_query", ms(r, 20, 80) * slow, StepStatus.OK, null, null);
      b.tokens(embed, "text-embedding-3-small", "openai", r.nextInt(40) + 10, 0, 0.00002);
      b.finish(retrieval, ms(r, 40, 200) * slow);
      boolean empty = r.nextDouble() < a.emptyRetrieval;
      b.meta(retrieval, Map.of("documents", empty ? 0 : r.nextInt(8) + 1, "index", "kb-prod"));
      if (empty) {
        b.fail(retrieval, "retrieval", "empty_result", "no documents matched the query");
        failure = new Failure("retrieval", "empty_result", "no documents matched the query", retrieval);
      } else if (r.nextDouble() < 0.4) {
        b.step(root, "rerank", "rerank_docs", ms(r, 30, 120), StepStatus.OK, null, null);
      }
    }
    if (failure == null) {
      String llm = b.step(root, "llm", "draft_answer", ms(r, 600, 2200) * a.llmSlowdown * slow, StepStatus.OK, null, null);
      b.llm(llm, a, r.nextInt(1800) + 400, r.nextInt(500) + 80);
      double roll = r.nextDouble();
      if (roll < a.rateLimit) {
        b.fail(llm, "model", "rate_limited", "429 from provider");
        failure = new Failure("model", "rate_limited", "provider returned 429 Too Many Requests", llm);
      } else if (roll < a.rateLimit + 0.01) {
        b.fail(llm, "model", "context_overflow", "prompt exceeded the context window");
        failure = new Failure("model", "context_overflow", "prompt of 131072 tokens exceeded the context window", llm);
      } else if (roll < a.rateLimit + 0.02) {
        b.fail(llm, "model", "malformed_output", "response was not valid JSON");
        failure = new Failure("model", "malformed_output", "response was not valid JSON", llm);
      }
    }
    if (failure == null) {
      String tool = TOOLS[r.nextInt(TOOLS.length)];
      boolean timesOut = r.nextDouble() < a.toolTimeout;
      int attempts = timesOut ? (r.nextDouble() < 0.5 ? 3 : r.nextInt(2) + 2) : (r.nextDouble() < 0.1 ? 2 : 1);
      boolean allFail = timesOut && attempts == 3 && r.nextDouble() < 0.6;
      String first = null;
      for (int n = 1; n <= attempts; n++) {
        boolean last = n == attempts;
        boolean ok = last && !allFail;
        double d = ok ? ms(r, 80, 400) * slow : 3000;
        String s = b.step(root, "tool", tool, d, ok ? StepStatus.OK : StepStatus.TIMEOUT, n, first);
        if (first == null) first = s;
        b.meta(s, Map.of("tool", tool, "http_status", ok ? 200 : 504));
        if (!ok) b.fail(s, "tool", "timeout", tool + " timed out after 3s");
        if (!last) b.advance(ms(r, 100, 400));
      }
      if (allFail) failure = new Failure("tool", "timeout", tool + " timed out after 3 attempts", b.last);
      else if (r.nextDouble() < 0.01) {
        String s = b.step(root, "tool", "crm_lookup", ms(r, 20, 60), StepStatus.ERROR, null, null);
        b.fail(s, "tool", "auth_failed", "401 from CRM");
        failure = new Failure("tool", "auth_failed", "CRM rejected the service token", s);
      } else if (r.nextDouble() < 0.03) {
        String s = b.step(root, "tool", "order_status", ms(r, 20, 60), StepStatus.ERROR, null, null);
        b.fail(s, "tool", "schema_invalid", "missing field order_id");
        partial = true;
      }
    }
    if (failure == null) {
      String guard = b.step(root, "guardrail", "pii_check", ms(r, 10, 40), StepStatus.OK, null, null);
      if (r.nextDouble() < 0.015) {
        b.fail(guard, "guardrail", "schema_invalid", "reply contained an account number");
        failure = new Failure("guardrail", "schema_invalid", "reply blocked: it contained an account number", guard);
      }
    }
    if (failure == null && r.nextDouble() < 0.005) {
      failure = new Failure("unknown", "internal", "worker crashed", null);
    }
    if (failure == null) {
      String stream = b.step(root, "stream", "stream_response", ms(r, 200, 900) * slow, StepStatus.OK, null, null);
      b.streamEvents(stream, r.nextInt(30) + 10);
      b.step(root, "respond", "send_reply", ms(r, 5, 30), StepStatus.OK, null, null);
      if (r.nextDouble() < 0.3) {
        String eval = b.step(root, "evaluator", "quality_score", ms(r, 100, 300), StepStatus.OK, null, null);
        b.meta(eval, Map.of("score", Math.round(r.nextDouble() * 100) / 100.0));
      }
    }
    b.finish(root, (b.cursor - start) / 1e6);
    if (failure != null) b.fail(root, failure.type(), failure.code(), failure.message());
    RunStatus status = failure != null ? RunStatus.FAILURE : partial ? RunStatus.PARTIAL : RunStatus.SUCCESS;
    Map<String, String> labels = Map.of("team", a.id().startsWith("billing") ? "billing" : "support",
        "region", r.nextBoolean() ? "eu-west-1" : "us-east-1");
    ObjectNode meta = Json.object();
    meta.put("ticket_priority", r.nextDouble() < 0.2 ? "high" : "normal");
    runs.add(RunRecord.builder(runId).agentId(a.id()).agentVersion(a.version())
        .environment(r.nextDouble() < 0.8 ? "production" : "staging")
        .name(a.id().startsWith("research") ? "research_question" : "handle_ticket")
        .sessionId("conv-" + r.nextInt(400)).labels(labels).startNanos(start).endNanos(b.cursor).status(status)
        .failure(failure).metadata(meta).build());
    steps.addAll(b.steps);
  }

  private static double ms(Random r, double lo, double hi) {
    return lo + r.nextDouble() * (hi - lo);
  }

  private static String uuid(Random r) {
    return new UUID(r.nextLong(), r.nextLong()).toString();
  }

  /** Lays steps out on a time line, one after another. */
  private static final class Builder {
    final String runId;
    final Random r;
    final List<StepRecord> steps = new ArrayList<>();
    long cursor;
    String last;

    Builder(String runId, long start, Random r) {
      this.runId = runId;
      this.cursor = start;
      this.r = r;
    }

    void advance(double ms) {
      cursor += (long) (ms * 1_000_000);
    }

    String step(String parent, String type, String name, double ms, StepStatus status, Integer attempt, String retryOf) {
      String id = uuid(r);
      long start = cursor;
      advance(ms);
      steps.add(StepRecord.builder(runId, id).parentStepId(parent).seq(steps.size() + 1).type(type).name(name)
          .startNanos(start).endNanos(ms > 0 ? cursor : null).status(ms > 0 ? status : null).attempt(attempt)
          .retryOf(retryOf).build());
      advance(1 + r.nextDouble() * 4);
      last = id;
      return id;
    }

    private int index(String id) {
      for (int i = steps.size() - 1; i >= 0; i--) if (steps.get(i).stepId().equals(id)) return i;
      throw new IllegalStateException(id);
    }

    void finish(String id, double ms) {
      int i = index(id);
      StepRecord s = steps.get(i);
      steps.set(i, s.toBuilder().endNanos(s.startNanos() + (long) (ms * 1_000_000))
          .status(s.status() == null ? StepStatus.OK : s.status()).build());
      cursor = Math.max(cursor, s.startNanos() + (long) (ms * 1_000_000));
    }

    void llm(String id, Agent a, int in, int out) {
      double cost = in / 1000.0 * a.pricePerKInput() + out / 1000.0 * a.pricePerKOutput();
      tokens(id, a.model(), a.model().startsWith("claude") ? "anthropic" : "openai", in, out, cost);
    }

    void tokens(String id, String model, String provider, int in, int out, double cost) {
      int i = index(id);
      StepRecord s = steps.get(i);
      double ttft = s.endNanos() == null ? 0 : Math.min(250 + r.nextDouble() * 300, (s.endNanos() - s.startNanos()) / 1e6);
      steps.set(i, s.toBuilder().status(s.status() == null ? StepStatus.OK : s.status()).model(model).provider(provider)
          .inputTokens((long) in).outputTokens((long) out).costUsd(Math.round(cost * 1e6) / 1e6)
          .timeToFirstTokenMs(Math.round(ttft * 10) / 10.0).build());
    }

    void fail(String id, String type, String code, String message) {
      int i = index(id);
      StepRecord s = steps.get(i);
      StepStatus st = code.equals("timeout") ? StepStatus.TIMEOUT : StepStatus.ERROR;
      steps.set(i, s.toBuilder().status(st).error(new StepError(type, code, message)).build());
    }

    void meta(String id, Map<String, ?> values) {
      int i = index(id);
      StepRecord s = steps.get(i);
      ObjectNode m = s.metadata() == null ? Json.object() : s.metadata();
      values.forEach((k, v) -> m.set(k, Json.MAPPER.valueToTree(v)));
      steps.set(i, s.toBuilder().metadata(m).build());
    }

    void streamEvents(String id, int n) {
      int i = index(id);
      StepRecord s = steps.get(i);
      List<StepEvent> events = new ArrayList<>();
      long step = (s.endNanos() - s.startNanos()) / (n + 1);
      for (int k = 1; k <= n; k++) {
        ObjectNode attrs = Json.object();
        attrs.put("seq", k);
        attrs.put("bytes", 20 + r.nextInt(60));
        events.add(new StepEvent("chunk", s.startNanos() + k * step, attrs));
      }
      steps.set(i, s.toBuilder().events(events).build());
    }
  }
}
