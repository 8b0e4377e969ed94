package dev.sextant.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverListener;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.tool.ToolExecutionErrorHandler;
import dev.sextant.sdk.Sextant;

/**
 * Traces LangChain4j with Sextant. An AI Service call becomes a run (or an {@code agent} step of the
 * run current on the calling thread) with its {@code llm}, {@code tool} and {@code retrieval} steps
 * nested as they happened:
 *
 * <pre>{@code
 * SextantLangChain4j tracing = SextantLangChain4j.create(sextant);
 * ChatModel model = OpenAiChatModel.builder().listeners(List.of(tracing.chatModelListener()))...build();
 * Assistant assistant = tracing.instrument(AiServices.builder(Assistant.class))
 *     .chatModel(model).tools(new BillingTools()).contentRetriever(tracing.retriever(retriever)).build();
 * }</pre>
 *
 * <p>Like the SDK, it never throws into LangChain4j and never changes what a call returns.
 */
public final class SextantLangChain4j {

  private final Invocations invocations;
  private final LlmListener llm;
  private final RetrievalListener retrieval;
  private final ToolHooks tools;

  private SextantLangChain4j(Sextant sextant) {
    this.invocations = new Invocations(sextant);
    this.llm = new LlmListener(sextant);
    this.retrieval = new RetrievalListener(sextant, invocations, null);
    this.tools = new ToolHooks(sextant, invocations);
  }

  /** Tracing that reports to {@code sextant}. One instance serves any number of models and services. */
  public static SextantLangChain4j create(Sextant sextant) {
    if (sextant == null) {
      throw new IllegalArgumentException("sextant is null; pass the application's Sextant instance");
    }
    return new SextantLangChain4j(sextant);
  }

  /** The listener to add to a chat or streaming chat model: each call becomes an {@code llm} step. */
  public ChatModelListener chatModelListener() {
    return llm;
  }

  /**
   * {@code model} (a streaming chat model whose listeners include {@link #chatModelListener()}) made
   * to record each call's time to first token, which listeners alone cannot see. Calls, handlers and
   * answers are unchanged.
   */
  public StreamingChatModel streamingChatModel(StreamingChatModel model) {
    if (model == null) {
      throw new IllegalArgumentException("model is null; pass the streaming chat model to trace");
    }
    return model instanceof TracedStreamingChatModel ? model : new TracedStreamingChatModel(model);
  }

  /** The listener to add to a content retriever: each retrieval becomes a {@code retrieval} step. */
  public ContentRetrieverListener contentRetrieverListener() {
    return retrieval;
  }

  /** {@code retriever} with a listener added whose {@code retrieval} steps are named after its class. */
  public ContentRetriever retriever(ContentRetriever retriever) {
    return retriever.addListener(retrieval.named(retriever.getClass().getSimpleName()));
  }

  /**
   * Registers the AI Service listeners and tool hooks on {@code services}: each call becomes a run or
   * step, each tool execution a {@code tool} step. It sets the builder's {@code beforeToolExecution},
   * {@code afterToolExecution} and {@code toolExecutionErrorHandler}; the error handler keeps
   * LangChain4j's default behaviour (the exception's message goes back to the model). To keep a
   * handler of your own, set {@link #toolExecutionErrorHandler(ToolExecutionErrorHandler)} after this.
   */
  public <T> AiServices<T> instrument(AiServices<T> services) {
    return services
        .registerListeners(invocations.started(), invocations.completed(), invocations.failed())
        .beforeToolExecution(tools::before)
        .afterToolExecution(tools::after)
        .toolExecutionErrorHandler(tools.errors(null));
  }

  /** {@code handler}, made to record the tool's exception on its step first. */
  public ToolExecutionErrorHandler toolExecutionErrorHandler(ToolExecutionErrorHandler handler) {
    return tools.errors(handler);
  }

  /** The number of AI Service calls started and not yet ended. */
  int callsInProgress() {
    return invocations.inProgress();
  }
}
