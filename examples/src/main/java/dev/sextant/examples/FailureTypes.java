package dev.sextant.examples;

import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.Stats;
import dev.sextant.sdk.Step;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run for each failure type of the taxonomy: tool, model, retrieval, orchestration, guardrail
 * and unknown, each recorded the way an agent would meet it (an exception escaping a step, an empty
 * result, a loop that does not converge, a blocked answer, a bug outside any step).
 *
 * <p>Run it with {@code mvn -q -pl examples -am compile -Dexample=FailureTypes}; it reads {@code
 * SEXTANT_ENDPOINT} and {@code SEXTANT_API_KEY}.
 */
public final class FailureTypes {

  private FailureTypes() {}

  public static void main(String[] args) {
    Sextant sextant = Sextant.builder()
        .agent("failure-demo-agent")
        .agentVersion("v2.3.0")
        .environment("development")
        .build();
    List<String> runIds = runAll(sextant);
    boolean flushed = sextant.flush(Duration.ofSeconds(10));
    sextant.close();
    Stats stats = sextant.stats();
    System.out.println(runIds.size() + " runs sent to " + SupportAgent.endpoint() + (flushed ? "" : " (flush timed out)"));
    System.out.println("records produced=" + stats.produced() + " exported=" + stats.exported()
        + " dropped=" + stats.dropped() + " failed=" + stats.failed());
  }

  /** Runs the six failing agents; returns their run ids in taxonomy order. */
  public static List<String> runAll(Sextant sextant) {
    List<String> ids = new ArrayList<>();
    ids.add(toolFailure(sextant));
    ids.add(modelFailure(sextant));
    ids.add(retrievalFailure(sextant));
    ids.add(orchestrationFailure(sextant));
    ids.add(guardrailFailure(sextant));
    ids.add(unknownFailure(sextant));
    return ids;
  }

  /** A tool call times out; the exception escapes the step and the run records the failure. */
  static String toolFailure(Sextant sextant) {
    try (Run run = sextant.startRun("tool_failure")) {
      run.label("failure_demo", "tool");
      try {
        run.step("tool", "billing_api", step -> {
          step.metadata("endpoint", "/v1/invoices").metadata("timeout_ms", 30_000);
          SupportAgent.pause(20);
          throw new SocketTimeoutException("billing_api did not answer within 30s");
        });
      } catch (SocketTimeoutException e) {
        run.recordFailure("tool", "timeout", "External API timeout after 30s");
      }
      return run.id();
    }
  }

  /** The model provider rate-limits; the exception escapes the whole run. */
  static String modelFailure(Sextant sextant) {
    String[] id = new String[1];
    try {
      sextant.run("model_failure", run -> {
        id[0] = run.id();
        run.label("failure_demo", "model");
        return run.step("llm", "generate_answer", step -> {
          step.model("gpt-4o").provider("openai").inputTokens(1200);
          SupportAgent.pause(40);
          throw new RateLimitException("429: rate limit reached for gpt-4o");
        });
      });
    } catch (RateLimitException expected) {
      // the agent gives up; the run is already recorded as a model failure
    }
    return id[0];
  }

  /** Retrieval finds nothing, so the agent cannot answer. */
  static String retrievalFailure(Sextant sextant) {
    try (Run run = sextant.startRun("retrieval_failure")) {
      run.label("failure_demo", "retrieval");
      try (Step search = run.step("retrieval", "search_knowledge_base")) {
        search.metadata("hits", 0).metadata("index", "support-kb-v3");
        SupportAgent.pause(15);
        search.error("retrieval", "empty_result", "no document matched the query");
      }
      run.recordFailure("retrieval", "empty_result", "knowledge base returned no documents");
      return run.id();
    }
  }

  /** The plan-act loop never converges and hits its iteration limit. */
  static String orchestrationFailure(Sextant sextant) {
    try (Run run = sextant.startRun("orchestration_failure")) {
      run.label("failure_demo", "orchestration");
      int maxIterations = 3;
      try (Step agent = run.step("agent", "plan_act_loop")) {
        for (int i = 1; i <= maxIterations; i++) {
          try (Step plan = run.step("plan", "choose_next_action")) {
            plan.metadata("iteration", i).metadata("action", "lookup_order");
            SupportAgent.pause(5);
          }
          try (Step tool = run.step("tool", "lookup_order")) {
            tool.metadata("iteration", i).metadata("found", false);
            SupportAgent.pause(5);
          }
        }
        agent.error("orchestration", "max_iterations", "stopped after " + maxIterations + " iterations");
      }
      run.recordFailure("orchestration", "max_iterations", "agent loop did not converge in " + maxIterations + " iterations");
      return run.id();
    }
  }

  /** The answer is generated but an output guardrail blocks it. */
  static String guardrailFailure(Sextant sextant) {
    try (Run run = sextant.startRun("guardrail_failure")) {
      run.label("failure_demo", "guardrail");
      try (Step llm = run.step("llm", "generate_answer")) {
        llm.model("gpt-4o-mini").provider("openai").tokens(640, 96).costUsd(0.0012);
        SupportAgent.pause(30);
      }
      Step check = run.step("guardrail", "pii_check");
      check.metadata("detector", "pii-v2").metadata("findings", 1);
      check.error("guardrail", "pii_detected", "the answer contained a card number");
      check.close();
      run.recordFailure("guardrail", "pii_detected", "answer blocked by the PII guardrail", check);
      return run.id();
    }
  }

  /** A bug outside any step: the run fails with an unknown failure. */
  static String unknownFailure(Sextant sextant) {
    String[] id = new String[1];
    try {
      sextant.run("unknown_failure", run -> {
        id[0] = run.id();
        run.label("failure_demo", "unknown");
        run.step("plan", "analyze_query").metadata("intent", "refund").close();
        Map<String, String> config = Map.of();
        return config.get("routing_table").length();
      });
    } catch (NullPointerException expected) {
      // the bug surfaces to the caller unchanged; Sextant recorded it
    }
    return id[0];
  }

  /** What a provider SDK throws on HTTP 429. */
  static final class RateLimitException extends RuntimeException {
    RateLimitException(String message) {
      super(message);
    }
  }
}
