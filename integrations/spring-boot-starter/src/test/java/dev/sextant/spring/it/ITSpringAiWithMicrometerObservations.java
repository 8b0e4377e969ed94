package dev.sextant.spring.it;

import static dev.sextant.spring.it.SpringAiApp.steps;
import static dev.sextant.spring.it.SpringAiApp.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.integrations.testing.FakeProvider.Reply;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot's observation support on, with a handler of the application's own: Sextant's handler
 * joins it, and the {@code @AgentRun} / {@code @Step} annotations frame Spring AI's calls.
 */
class ITSpringAiWithMicrometerObservations {

  private static SpringAiApp app;

  /** A handler the application registers for its own purposes. */
  @Configuration(proxyBeanMethods = false)
  static class CountingHandlerConfig {
    static final AtomicInteger STOPPED = new AtomicInteger();

    @Bean
    ObservationHandler<Observation.Context> countingHandler() {
      return new ObservationHandler<>() {
        @Override
        public boolean supportsContext(Observation.Context context) {
          return true;
        }

        @Override
        public void onStop(Observation.Context context) {
          STOPPED.incrementAndGet();
        }
      };
    }
  }

  @BeforeAll
  static void start() {
    app = new SpringAiApp("spring-ai-observed", true, CountingHandlerConfig.class);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void agentRun_framesChatClientCall_stepAnnotationNests() {
    int stoppedBefore = CountingHandlerConfig.STOPPED.get();
    app.openai.enqueue(Reply.text("We will refund the duplicate charge.", 30, 9));

    String answer = app.service().handleTicket("Why was I charged twice?");

    assertThat(answer).isEqualTo("billing: We will refund the duplicate charge.");
    assertThat(app.context.getBeansOfType(ObservationRegistry.class)).doesNotContainKey("sextantObservationRegistry");
    assertThat(CountingHandlerConfig.STOPPED.get()).isGreaterThan(stoppedBefore);
    JsonNode detail = app.newestRun();
    assertThat(detail.path("run").path("name").asText()).isEqualTo("handle_ticket");
    assertThat(detail.path("run").path("status").asText()).isEqualTo("success");
    assertThat(tree(detail)).containsExactly(
        "plan:classify_ticket:ok:1",
        "agent:chat_client:ok:1",
        "  chain:Tool Calling Advisor:ok:1",
        "    chain:call:ok:1",
        "      llm:chat:ok:1");
    assertThat(steps(detail, "llm").get(0).path("input_tokens").asLong()).isEqualTo(30);
    assertThat(detail.path("run").path("input_tokens").asLong()).isEqualTo(30);
  }

  @Test
  void agentRun_stepMethodThrows_runFailsWithTheStepsFailure() {
    assertThatThrownBy(() -> app.service().escalate("angry customer"))
        .isInstanceOf(IllegalStateException.class).hasMessage("pager service returned 503");

    JsonNode detail = app.newestRun();
    assertThat(detail.path("run").path("name").asText()).isEqualTo("escalate");
    assertThat(detail.path("run").path("status").asText()).isEqualTo("failure");
    assertThat(tree(detail)).containsExactly("tool:notifyHuman:error:1");
    assertThat(detail.path("failure").path("type").asText()).isEqualTo("tool");
    assertThat(detail.path("failure").path("code").asText()).isEqualTo("internal");
    assertThat(detail.path("failure").path("step_id").asText())
        .isEqualTo(detail.path("steps").get(0).path("step_id").asText());
  }
}
