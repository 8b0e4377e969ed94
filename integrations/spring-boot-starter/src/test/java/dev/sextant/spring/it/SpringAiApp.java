package dev.sextant.spring.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.integrations.testing.FakeProvider;
import dev.sextant.integrations.testing.FakeProvider.Reply;
import dev.sextant.integrations.testing.FakeProvider.ToolCall;
import dev.sextant.integrations.testing.SextantServer;
import dev.sextant.sdk.Sextant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link SupportApp} started as a real Spring Boot application against a fake OpenAI API and a
 * real Sextant server, for the tests of one class; and how they read stored runs.
 */
final class SpringAiApp implements AutoCloseable {

  static final String OBSERVATION_AUTO_CONFIGURATION =
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration";

  final SextantServer server = SextantServer.start();
  final FakeProvider openai = FakeProvider.start();
  final String agent;
  final ConfigurableApplicationContext context;

  /** {@code micrometerObservations} false leaves Spring Boot's observation auto-configuration out. */
  SpringAiApp(String agent, boolean micrometerObservations, Class<?>... extraSources) {
    this.agent = agent;
    List<Class<?>> sources = new ArrayList<>(List.of(SupportApp.class));
    sources.addAll(List.of(extraSources));
    SpringApplicationBuilder builder = new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).properties(
        "spring.main.web-application-type=none",
        "spring.main.banner-mode=off",
        "spring.ai.openai.base-url=" + openai.baseUrl(),
        "spring.ai.openai.api-key=sk-fake",
        "spring.ai.openai.max-retries=0",
        "spring.ai.openai.chat.options.model=gpt-4o-mini",
        "spring.ai.openai.embedding.options.model=text-embedding-3-small",
        "sextant.endpoint=" + server.endpoint(),
        "sextant.api-key=" + SextantServer.API_KEY,
        "sextant.agent=" + agent,
        "sextant.version=v2",
        "sextant.environment=test",
        "sextant.mode=inline",
        "sextant.capture-content=true");
    if (!micrometerObservations) {
      builder.properties("spring.autoconfigure.exclude=" + OBSERVATION_AUTO_CONFIGURATION);
    }
    context = builder.run();
  }

  SupportApp.SupportService service() {
    return context.getBean(SupportApp.SupportService.class);
  }

  /** The newest run, read back in full. */
  JsonNode newestRun() {
    return server.runWithSteps(server.runIds(agent).get(0));
  }

  /**
   * The newest run once more than {@code before} runs are stored: a streamed call's run ends on the
   * thread that completes the stream, just after the caller has seen the end of it.
   */
  JsonNode newestRunAfter(int before) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (runCount() <= before) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no new run of " + agent + " within 10 s; " + before + " before");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return newestRun();
  }

  int runCount() {
    return server.runIds(agent).size();
  }

  /** The model asks for the billing tool twice (the first call fails), then answers. */
  void enqueueToolConversation() {
    context.getBean(SupportApp.BillingTools.class).calls.set(0);
    openai.enqueue(
        Reply.toolCalls(120, 18, new ToolCall("call_1", "lookupInvoice", "{\"invoiceId\":\"inv-1\"}")),
        Reply.toolCalls(150, 18, new ToolCall("call_2", "lookupInvoice", "{\"invoiceId\":\"inv-1\"}")),
        Reply.text("You were charged twice; the duplicate is refunded within five days.", 200, 25)
            .withTokenDetails(64, 0));
  }

  /**
   * The step tree {@link #enqueueToolConversation} makes under the tool calling advisor: three model
   * turns ({@code oneTurn} each), the failed tool call between the first two, its retry after the
   * second.
   */
  static List<String> toolConversationTree(List<String> oneTurn) {
    List<String> expected = new ArrayList<>(List.of("chain:Tool Calling Advisor:ok:1"));
    expected.addAll(oneTurn);
    expected.add("  tool:lookupInvoice:error:1");
    expected.addAll(oneTurn);
    expected.add("  tool:lookupInvoice:ok:2");
    expected.addAll(oneTurn);
    return expected;
  }

  /** The step tree as indented {@code type:name:status:attempt} lines, in stored order. */
  static List<String> tree(JsonNode detail) {
    List<String> lines = new ArrayList<>();
    Map<String, Integer> depth = new HashMap<>();
    detail.path("steps").forEach(s -> {
      String parent = s.path("parent_step_id").asText(null);
      int d = parent == null ? 0 : depth.getOrDefault(parent, 0) + 1;
      depth.put(s.path("step_id").asText(), d);
      lines.add("  ".repeat(d) + s.path("type").asText() + ":" + s.path("name").asText() + ":"
          + s.path("status").asText() + ":" + s.path("attempt").asInt());
    });
    return lines;
  }

  static List<JsonNode> steps(JsonNode detail, String type) {
    List<JsonNode> found = new ArrayList<>();
    detail.path("steps").forEach(s -> {
      if (s.path("type").asText().equals(type)) {
        found.add(s);
      }
    });
    return found;
  }

  /** Stops everything, then checks that the SDK exported every record it was given. */
  @Override
  public void close() {
    Sextant sextant = context.getBean(Sextant.class);
    context.close();
    if (sextant.stats().failed() != 0) {
      throw new AssertionError("the SDK failed to export " + sextant.stats().failed() + " records: " + sextant.stats());
    }
    openai.close();
    server.close();
  }
}
