package dev.sextant.spring.it;

import static dev.sextant.spring.it.SpringAiApp.steps;
import static dev.sextant.spring.it.SpringAiApp.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.integrations.testing.FakeProvider;
import dev.sextant.integrations.testing.FakeProvider.Reply;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spring Boot's own observation support left out: the starter provides the observation registry
 * Spring AI reports to, and Spring AI's calls still become runs.
 */
class ITSpringAiWithoutMicrometerObservations {

  private static SpringAiApp app;

  @BeforeAll
  static void start() {
    app = new SpringAiApp("spring-ai-plain", false);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void registry_isTheStartersOwn() {
    assertThat(app.context.getBeansOfType(ObservationRegistry.class)).containsOnlyKeys("sextantObservationRegistry");
  }

  @Test
  void chatClient_toolsAndRag_oneRunWithNestedSteps_failedToolRetried() {
    int before = app.runCount();
    app.enqueueToolConversation();

    String answer = app.service().answer("Why was I charged twice on invoice inv-1?");

    assertThat(answer).startsWith("You were charged twice");
    assertThat(app.runCount()).isEqualTo(before + 1);
    JsonNode detail = app.newestRun();
    JsonNode run = detail.path("run");
    assertThat(run.path("name").asText()).isEqualTo("chat_client");
    assertThat(run.path("agent_version").asText()).isEqualTo("v2");
    assertThat(run.path("status").asText()).isEqualTo("success");
    assertThat(run.path("retry_count").asInt()).isEqualTo(1);
    List<String> oneTurn = List.of(
        "  chain:QuestionAnswerAdvisor:ok:1",
        "    retrieval:simple.query:ok:1",
        "      embedding:embed:ok:1",
        "    chain:call:ok:1",
        "      llm:chat:ok:1");
    assertThat(tree(detail)).containsExactlyElementsOf(SpringAiApp.toolConversationTree(oneTurn));

    List<JsonNode> llm = steps(detail, "llm");
    assertThat(llm).extracting(s -> s.path("model").asText()).containsOnly(FakeProvider.MODEL);
    assertThat(llm).extracting(s -> s.path("provider").asText()).containsOnly("openai");
    assertThat(llm).extracting(s -> s.path("input_tokens").asLong()).containsExactly(120L, 150L, 200L);
    assertThat(llm).extracting(s -> s.path("output_tokens").asLong()).containsExactly(18L, 18L, 25L);
    assertThat(llm).extracting(s -> s.path("metadata").path("finish_reason").asText())
        .containsExactly("tool_calls", "tool_calls", "stop");
    assertThat(llm.get(2).path("cache_read_tokens").asLong()).isEqualTo(64);
    // no cost sent: each call priced by the server as gpt-4o-mini (0.15 input, 0.075 cached, 0.60 output per million)
    assertThat(llm).extracting(s -> s.path("cost_source").asText()).containsOnly("computed");
    assertThat(llm.get(2).path("cost_usd").asDouble()).isCloseTo((136 * 0.15 + 64 * 0.075 + 25 * 0.60) / 1e6, within(1e-12));
    assertThat(llm.get(0).path("cost_usd").asDouble()).isCloseTo((120 * 0.15 + 18 * 0.60) / 1e6, within(1e-12));
    assertThat(llm.get(0).path("events").get(0).path("attributes").path("tool").asText()).isEqualTo("lookupInvoice");
    assertThat(run.path("input_tokens").asLong()).isEqualTo(470 + 3 * embeddingTokens(detail));

    List<JsonNode> tools = steps(detail, "tool");
    assertThat(tools.get(0).path("error").path("type").asText()).isEqualTo("tool");
    assertThat(tools.get(0).path("metadata").path("tool_call_id").asText()).isEqualTo("call_1");
    assertThat(tools.get(1).path("retry_of").asText()).isEqualTo(tools.get(0).path("step_id").asText());
    assertThat(steps(detail, "retrieval").get(0).path("metadata").path("results").asInt()).isPositive();

    // metadata-only: nothing the SDK captured (prompts, answers, tool arguments) was stored
    assertThat(run.path("input").isNull()).isTrue();
    assertThat(run.path("output").isNull()).isTrue();
    detail.path("steps").forEach(s -> {
      assertThat(s.path("input").isNull()).isTrue();
      assertThat(s.path("output").isNull()).isTrue();
      assertThat(s.path("error").path("message").isMissingNode() || s.path("error").path("message").isNull()).isTrue();
    });
  }

  private static long embeddingTokens(JsonNode detail) {
    return steps(detail, "embedding").get(0).path("input_tokens").asLong();
  }

  @Test
  void chatClient_providerErrors_runFailsWithModelFailure() {
    app.openai.enqueue(Reply.rateLimited());
    assertThatThrownBy(() -> app.service().handleTicket("Why was I charged twice?")).isInstanceOf(RuntimeException.class);
    JsonNode rateLimited = app.newestRun();

    app.openai.enqueue(Reply.contextLengthExceeded());
    assertThatThrownBy(() -> app.service().handleTicket("a very long ticket")).isInstanceOf(RuntimeException.class);
    JsonNode overflow = app.newestRun();

    assertThat(rateLimited.path("run").path("status").asText()).isEqualTo("failure");
    assertThat(rateLimited.path("failure").path("type").asText()).isEqualTo("model");
    assertThat(rateLimited.path("failure").path("code").asText()).isEqualTo("rate_limited");
    JsonNode llm = steps(rateLimited, "llm").get(0);
    assertThat(rateLimited.path("failure").path("step_id").asText()).isEqualTo(llm.path("step_id").asText());
    assertThat(llm.path("error").path("code").asText()).isEqualTo("rate_limited");
    assertThat(overflow.path("failure").path("code").asText()).isEqualTo("context_overflow");
  }

  @Test
  void streamingChatClient_textAnswer_oneRunWithTheModelsTokens_endedAfterItsSteps() {
    int before = app.runCount();
    app.openai.enqueue(Reply.text("Your refund of 30 EUR is on its way.", 40, 9));

    List<String> pieces = app.service().answerStreaming("Where is my refund?").collectList().block(Duration.ofSeconds(10));

    assertThat(pieces.size()).isGreaterThan(1);
    assertThat(String.join("", pieces)).isEqualTo("Your refund of 30 EUR is on its way.");
    JsonNode lastRequest = app.openai.chatRequests().get(app.openai.chatRequests().size() - 1).body();
    assertThat(lastRequest.path("stream").asBoolean()).isTrue();
    JsonNode detail = app.newestRunAfter(before);
    JsonNode run = detail.path("run");
    assertThat(run.path("name").asText()).isEqualTo("chat_client_stream");
    assertThat(run.path("status").asText()).isEqualTo("success");
    // the chat client's observation may stop before its advisors' do; the run still holds them all
    assertThat(tree(detail)).containsExactly(
        "chain:Tool Calling Advisor:ok:1",
        "  chain:stream:ok:1",
        "    llm:chat:ok:1");
    JsonNode llm = steps(detail, "llm").get(0);
    assertThat(llm.path("model").asText()).isEqualTo(FakeProvider.MODEL);
    assertThat(llm.path("provider").asText()).isEqualTo("openai");
    assertThat(llm.path("input_tokens").asLong()).isEqualTo(40);
    assertThat(llm.path("output_tokens").asLong()).isEqualTo(9);
    assertThat(llm.path("metadata").path("finish_reason").asText()).isEqualTo("stop");
    assertThat(run.path("input_tokens").asLong()).isEqualTo(40);
    assertThat(run.path("input").isNull()).isTrue();
    assertThat(run.path("output").isNull()).isTrue();
    detail.path("steps").forEach(s -> {
      assertThat(s.path("input").isNull()).isTrue();
      assertThat(s.path("output").isNull()).isTrue();
    });
  }

  @Test
  void streamingChatClient_toolCalls_failedToolRetried_stepsNestAsInTheBlockingCall() {
    int before = app.runCount();
    app.enqueueToolConversation();

    String answer = String.join("", app.service().answerStreaming("Why was I charged twice on invoice inv-1?")
        .collectList().block(Duration.ofSeconds(10)));

    assertThat(answer).startsWith("You were charged twice");
    JsonNode detail = app.newestRunAfter(before);
    JsonNode run = detail.path("run");
    assertThat(run.path("status").asText()).isEqualTo("success");
    assertThat(run.path("retry_count").asInt()).isEqualTo(1);
    List<String> oneTurn = List.of("  chain:stream:ok:1", "    llm:chat:ok:1");
    assertThat(tree(detail)).containsExactlyElementsOf(SpringAiApp.toolConversationTree(oneTurn));
    List<JsonNode> llm = steps(detail, "llm");
    assertThat(llm).extracting(s -> s.path("input_tokens").asLong()).containsExactly(120L, 150L, 200L);
    assertThat(llm).extracting(s -> s.path("output_tokens").asLong()).containsExactly(18L, 18L, 25L);
    assertThat(llm).extracting(s -> s.path("metadata").path("finish_reason").asText())
        .containsExactly("tool_calls", "tool_calls", "stop");
    assertThat(run.path("input_tokens").asLong()).isEqualTo(470);
    List<JsonNode> tools = steps(detail, "tool");
    assertThat(tools.get(0).path("metadata").path("tool_call_id").asText()).isEqualTo("call_1");
    assertThat(tools.get(1).path("retry_of").asText()).isEqualTo(tools.get(0).path("step_id").asText());
  }

  @Test
  void streamingChatClient_providerError_runFailsWithModelFailure() {
    int before = app.runCount();
    app.openai.enqueue(Reply.rateLimited());

    assertThatThrownBy(() -> app.service().answerStreaming("Where is my refund?").collectList().block(Duration.ofSeconds(10)))
        .hasMessageContaining("Rate limit reached");

    JsonNode detail = app.newestRunAfter(before);
    assertThat(tree(detail)).containsExactly(
        "chain:Tool Calling Advisor:error:1",
        "  chain:stream:error:1",
        "    llm:chat:error:1");
    assertThat(detail.path("run").path("status").asText()).isEqualTo("failure");
    assertThat(detail.path("failure").path("type").asText()).isEqualTo("model");
    assertThat(detail.path("failure").path("code").asText()).isEqualTo("rate_limited");
    JsonNode llm = steps(detail, "llm").get(0);
    assertThat(llm.path("error").path("code").asText()).isEqualTo("rate_limited");
    assertThat(detail.path("failure").path("step_id").asText()).isEqualTo(llm.path("step_id").asText());
  }
}
