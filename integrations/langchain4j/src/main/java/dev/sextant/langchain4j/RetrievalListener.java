package dev.sextant.langchain4j;

import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverErrorContext;
import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverListener;
import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverRequestContext;
import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverResponseContext;
import dev.langchain4j.rag.query.Query;
import dev.sextant.sdk.Sextant;

/**
 * Each retrieval becomes a {@code retrieval} step named after the retriever's class, with the
 * number of results as {@code results}; the query and the results are content. A retrieval made for
 * an AI Service call nests under that call on whatever thread LangChain4j runs it.
 */
final class RetrievalListener implements ContentRetrieverListener {

  private static final String PLACED = RetrievalListener.class.getName();

  private final Sextant sextant;
  private final Invocations invocations;
  /** The step name; null to name it after the retriever LangChain4j reports. */
  private final String name;

  RetrievalListener(Sextant sextant, Invocations invocations, String name) {
    this.sextant = sextant;
    this.invocations = invocations;
    this.name = name;
  }

  /** A listener whose steps are named {@code name}. */
  RetrievalListener named(String stepName) {
    return new RetrievalListener(sextant, invocations, stepName);
  }

  @Override
  public void onRequest(ContentRetrieverRequestContext context) {
    try {
      Query query = context.query();
      Scope scope = query == null || query.metadata() == null ? null : invocations.get(query.metadata().invocationContext());
      Placed placed = Placed.start(sextant, scope, "retrieval", stepName(context), "retrieve");
      placed.step().input(query == null ? null : Content.of(query.text()));
      context.attributes().put(PLACED, placed);
    } catch (RuntimeException e) {
      // never fail the retrieval
    }
  }

  /** LangChain4j reports its listening wrapper as the retriever, whose class name says nothing. */
  private String stepName(ContentRetrieverRequestContext context) {
    if (name != null) {
      return name;
    }
    String className = context.contentRetriever() == null ? "" : context.contentRetriever().getClass().getSimpleName();
    return className.isEmpty() || className.startsWith("Listening") ? "retriever" : className;
  }

  @Override
  public void onResponse(ContentRetrieverResponseContext context) {
    Placed placed = (Placed) context.attributes().remove(PLACED);
    if (placed == null) {
      return;
    }
    try {
      int results = context.contents() == null ? 0 : context.contents().size();
      placed.step().metadata("results", results);
      placed.step().output(Content.of(context.contents()));
    } finally {
      placed.end();
    }
  }

  @Override
  public void onError(ContentRetrieverErrorContext context) {
    Placed placed = (Placed) context.attributes().remove(PLACED);
    if (placed == null) {
      return;
    }
    try {
      placed.fail(context.error());
    } finally {
      placed.end();
    }
  }
}
