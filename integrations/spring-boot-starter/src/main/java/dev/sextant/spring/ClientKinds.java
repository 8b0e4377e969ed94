package dev.sextant.spring;

import dev.sextant.sdk.Step;
import io.micrometer.observation.Observation;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.observation.AdvisorObservationContext;
import org.springframework.ai.chat.client.observation.ChatClientObservationContext;

/** The observations of {@code spring-ai-client-chat}: chat client calls and their advisors. */
final class ClientKinds {

  private ClientKinds() {}

  static Map<String, StepKind> all() {
    return Map.of(
        ChatClientObservationContext.class.getName(), new ChatClient(),
        AdvisorObservationContext.class.getName(), new Advisor());
  }

  /** A chat client call: a run of its own outside any run, else an {@code agent} step. */
  static final class ChatClient implements StepKind {

    @Override
    public String type(Observation.Context context) {
      return "agent";
    }

    @Override
    public String name(Observation.Context context) {
      return ((ChatClientObservationContext) context).isStream() ? "chat_client_stream" : "chat_client";
    }

    @Override
    public boolean startsRun() {
      return true;
    }

    @Override
    public boolean isRunItself() {
      return true;
    }

    @Override
    public Object input(Observation.Context context) {
      return Content.of(((ChatClientObservationContext) context).getRequest().prompt().getInstructions());
    }
  }

  /** An advisor around the model call: a {@code chain} step named after the advisor. */
  static final class Advisor implements StepKind {

    @Override
    public String type(Observation.Context context) {
      return "chain";
    }

    @Override
    public String name(Observation.Context context) {
      return ((AdvisorObservationContext) context).getAdvisorName();
    }

    @Override
    public void stopped(Observation.Context context, Step step) {
      ChatClientResponse response = ((AdvisorObservationContext) context).getChatClientResponse();
      if (response != null && response.chatResponse() != null && response.chatResponse().getResult() != null) {
        step.output(Content.of(response.chatResponse().getResult().getOutput().getText()));
      }
    }
  }
}
