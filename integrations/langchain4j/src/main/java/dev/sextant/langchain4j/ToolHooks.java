package dev.sextant.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.service.tool.BeforeToolExecution;
import dev.langchain4j.service.tool.ToolErrorContext;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import dev.langchain4j.service.tool.ToolExecution;
import dev.langchain4j.service.tool.ToolExecutionErrorHandler;
import dev.sextant.integrations.ModelFailure;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.Step;
import java.util.Locale;

/**
 * Each tool execution of an AI Service call becomes a {@code tool} step named after the tool, under
 * the call, with the model's tool call id as {@code tool_call_id}, the arguments and result as
 * content. A tool that throws fails its step with the exception; when the model then calls the same
 * tool again in the same call, the new step is a retry of the failed one.
 */
final class ToolHooks {

  /** A tool step in progress; {@code failed} once the error handler recorded its exception. */
  static final class Open {
    final Placed placed;
    final String tool;
    volatile boolean failed;

    Open(Placed placed, String tool) {
      this.placed = placed;
      this.tool = tool;
    }
  }

  private final Sextant sextant;
  private final Invocations invocations;

  ToolHooks(Sextant sextant, Invocations invocations) {
    this.sextant = sextant;
    this.invocations = invocations;
  }

  void before(BeforeToolExecution before) {
    try {
      ToolExecutionRequest request = before.request();
      Scope scope = invocations.get(before.invocationContext());
      if (scope == null) {
        return;
      }
      Placed placed = Placed.start(sextant, scope, "tool", request.name(), request.name());
      Step step = placed.step();
      if (request.id() != null) {
        step.metadata("tool_call_id", request.id());
      }
      step.input(Content.of(request.arguments()));
      Step failed = scope.failedAttempt(request.name());
      if (failed != null) {
        step.retryOf(failed);
      }
      scope.openTools.put(request, new Open(placed, request.name()));
    } catch (RuntimeException e) {
      // never fail the tool
    }
  }

  void after(ToolExecution execution) {
    Scope scope = invocations.get(execution.invocationContext());
    Open open = scope == null ? null : scope.openTools.remove(execution.request());
    if (open == null) {
      return;
    }
    Step step = open.placed.step();
    boolean failed = execution.hasFailed();
    try {
      if (failed && !open.failed) {
        step.error("tool", "internal", execution.result());
      }
      step.output(Content.of(execution.result()));
    } finally {
      scope.toolEnded(open.tool, step, failed);
      open.placed.end();
    }
  }

  /**
   * An error handler that records the tool's exception on its step, then does what {@code delegate}
   * does (by default: the exception's message goes back to the model as the tool's result).
   */
  ToolExecutionErrorHandler errors(ToolExecutionErrorHandler delegate) {
    return (error, context) -> {
      recordError(error, context);
      return delegate != null ? delegate.handle(error, context) : ToolErrorHandlerResult.text(message(error));
    };
  }

  private void recordError(Throwable error, ToolErrorContext context) {
    try {
      Scope scope = invocations.get(context.invocationContext());
      Open open = scope == null ? null : scope.openTools.get(context.toolExecutionRequest());
      if (open != null) {
        open.failed = true;
        open.placed.step().fail(error);
      }
    } catch (RuntimeException e) {
      // never fail the tool
    }
  }

  /** Ends the tool steps a failed call left open (a tool LangChain4j refused to run), failed with its error. */
  static void endOpenTools(Scope scope, Throwable error) {
    for (Object request : scope.openTools.keySet()) {
      Open open = scope.openTools.remove(request);
      if (open != null) {
        String text = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        if (text.contains("no such tool")) {
          open.placed.step().error("tool", "tool_not_found", ModelFailure.message(error));
        } else {
          open.placed.step().fail(error);
        }
        open.placed.end();
      }
    }
  }

  private static String message(Throwable error) {
    String m = error.getMessage();
    return m == null || m.isBlank() ? error.getClass().getName() : m;
  }
}
