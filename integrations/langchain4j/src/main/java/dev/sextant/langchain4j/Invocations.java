package dev.sextant.langchain4j;

import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.observability.api.listener.AiServiceCompletedListener;
import dev.langchain4j.observability.api.listener.AiServiceErrorListener;
import dev.langchain4j.observability.api.listener.AiServiceStartedListener;
import dev.sextant.integrations.ModelFailure;
import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AI Service calls in progress, by LangChain4j's invocation id. A call starts a run named
 * {@code Interface.method}, or an {@code agent} step of that name when a run is current on the
 * calling thread; it ends with the call's result or its exception.
 */
final class Invocations {

  private final Sextant sextant;
  private final Map<UUID, Scope> scopes = new ConcurrentHashMap<>();

  Invocations(Sextant sextant) {
    this.sextant = sextant;
  }

  /** The call {@code context} belongs to, or null. */
  Scope get(InvocationContext context) {
    return context == null || context.invocationId() == null ? null : scopes.get(context.invocationId());
  }

  AiServiceStartedListener started() {
    return event -> {
      try {
        InvocationContext context = event.invocationContext();
        String name = simpleName(context.interfaceName()) + "." + context.methodName();
        Optional<Run> current = Sextant.current().run();
        Scope scope = current.isPresent() ? Scope.ofStep(current.get().step("agent", name)) : Scope.ofRun(sextant.startRun(name));
        scope.input(event.userMessage() == null ? null : Content.of(event.userMessage()));
        scopes.put(context.invocationId(), scope);
      } catch (RuntimeException e) {
        // never fail the call
      }
    };
  }

  AiServiceCompletedListener completed() {
    return event -> {
      Scope scope = remove(event.invocationContext());
      if (scope != null) {
        scope.output(event.result().map(Content::of).orElse(null));
        scope.end();
      }
    };
  }

  AiServiceErrorListener failed() {
    return event -> {
      Scope scope = remove(event.invocationContext());
      if (scope != null) {
        ToolHooks.endOpenTools(scope, event.error());
        scope.fail(ModelFailure.of(event.error()), event.error());
        scope.end();
      }
    };
  }

  private Scope remove(InvocationContext context) {
    return context == null || context.invocationId() == null ? null : scopes.remove(context.invocationId());
  }

  private static String simpleName(String className) {
    if (className == null) {
      return "AiService";
    }
    int dot = Math.max(className.lastIndexOf('.'), className.lastIndexOf('$'));
    return className.substring(dot + 1);
  }

  /** For tests: calls in progress. */
  int inProgress() {
    return scopes.size();
  }

}
