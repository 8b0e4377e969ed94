package dev.sextant.spring;

import dev.sextant.sdk.Step;
import io.micrometer.observation.Observation;
import java.util.List;
import java.util.Map;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;

/**
 * A vector store operation inside a run: a query is a {@code retrieval} step with the number of
 * documents found as {@code results}; adds and deletes are {@code memory} steps. Outside a run (an
 * index loaded at start-up) nothing is traced.
 */
final class VectorStoreKind implements StepKind {

  static Map<String, StepKind> all() {
    return Map.of(VectorStoreObservationContext.class.getName(), new VectorStoreKind());
  }

  @Override
  public String type(Observation.Context context) {
    return "query".equals(((VectorStoreObservationContext) context).getOperationName()) ? "retrieval" : "memory";
  }

  @Override
  public String name(Observation.Context context) {
    VectorStoreObservationContext c = (VectorStoreObservationContext) context;
    return c.getDatabaseSystem() + "." + c.getOperationName();
  }

  @Override
  public void started(Observation.Context context, Step step) {
    VectorStoreObservationContext c = (VectorStoreObservationContext) context;
    step.metadata("db_system", c.getDatabaseSystem());
    if (c.getQueryRequest() != null) {
      step.metadata("top_k", c.getQueryRequest().getTopK());
    }
  }

  @Override
  public Object input(Observation.Context context) {
    VectorStoreObservationContext c = (VectorStoreObservationContext) context;
    return c.getQueryRequest() == null ? null : Content.of(c.getQueryRequest().getQuery());
  }

  @Override
  public void stopped(Observation.Context context, Step step) {
    List<Document> documents = ((VectorStoreObservationContext) context).getQueryResponse();
    if (documents != null) {
      step.metadata("results", documents.size());
      step.output(Content.of(documents.stream().map(Document::getText).toList()));
    }
  }
}
