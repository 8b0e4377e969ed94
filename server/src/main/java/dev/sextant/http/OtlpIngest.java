package dev.sextant.http;

import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.auth.Authenticator;
import dev.sextant.auth.Bootstrap;
import dev.sextant.auth.Principal;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.ingest.IngestResult;
import dev.sextant.model.Batch;
import dev.sextant.model.ItemError;
import dev.sextant.model.Scope;
import dev.sextant.protocol.otlp.OtlpDecoder;
import dev.sextant.protocol.otlp.OtlpWire;
import dev.sextant.store.Project;
import dev.sextant.store.Store;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the OTLP/HTTP and OTLP/gRPC endpoints share: who may send (per listener: a credential is
 * required, or a request without one goes to project {@code default}), decoding, the pipeline,
 * and the OTLP answer with its partial success.
 */
final class OtlpIngest {
  private static final int MAX_REPORTED_ERRORS = 5;

  private final IngestPipeline pipeline;
  private final Authenticator authenticator;
  private final Store store;
  private final boolean credentialRequired;
  private final OtlpDecoder decoder;
  private final BodyBudget budget;

  OtlpIngest(IngestPipeline pipeline, Authenticator authenticator, Store store, boolean credentialRequired,
      BodyBudget budget) {
    this.pipeline = pipeline;
    this.budget = budget;
    this.authenticator = authenticator;
    this.store = store;
    this.credentialRequired = credentialRequired;
    this.decoder = new OtlpDecoder(pipeline.limits());
  }

  OtlpDecoder decoder() {
    return decoder;
  }

  BodyBudget budget() {
    return budget;
  }

  long maxBodyBytes() {
    return pipeline.limits().maxBodyBytes();
  }

  /**
   * The project the request writes to. A credential that is presented must be valid even where
   * none is required, so a typo in a key never sends data to the wrong project silently.
   */
  Project project(RequestHeaders headers) {
    Principal principal = authenticator.authenticate(headers).orElse(null);
    if (principal == null) {
      if (Authenticator.presented(headers)) {
        throw new HttpFailure(HttpStatus.UNAUTHORIZED, "unauthorized",
            "the credential is not valid; check the API key");
      }
      if (credentialRequired) {
        throw new HttpFailure(HttpStatus.UNAUTHORIZED, "unauthorized",
            "a credential is required: send Authorization: Bearer <api key> (OTEL_EXPORTER_OTLP_HEADERS="
                + "\"Authorization=Bearer <api key>\"), x-api-key, or Basic public:secret");
      }
      return store.project(Bootstrap.DEFAULT_PROJECT).orElseThrow(() -> new HttpFailure(HttpStatus.NOT_FOUND,
          "not_found", "project " + Bootstrap.DEFAULT_PROJECT + " does not exist"));
    }
    if (!principal.has(Scope.INGEST)) {
      throw new HttpFailure(HttpStatus.FORBIDDEN, "forbidden", "this credential lacks the ingest scope");
    }
    String id = principal.isSession() ? Bootstrap.DEFAULT_PROJECT : principal.projectId();
    return store.project(id).orElseThrow(() -> new HttpFailure(HttpStatus.NOT_FOUND, "not_found",
        "project " + id + " does not exist"));
  }

  /** Runs the pipeline; completes with the OTLP answer once the accepted spans are committed. */
  CompletableFuture<ExportTraceServiceResponse> ingest(Project project, Batch batch, String protocol) {
    int spans = batch.steps().size();
    return pipeline.ingest(project, batch, protocol).thenApply(r -> response(r, spans));
  }

  static ExportTraceServiceResponse response(IngestResult r, int spans) {
    long rejected = 0;
    List<String> parts = new ArrayList<>();
    for (ItemError e : r.errors()) {
      if (e.kind().equals("step")) rejected++;
      if (parts.size() < MAX_REPORTED_ERRORS) {
        parts.add(e.kind().equals("step") ? "span " + e.index() + ": " + e.message()
            : "trace " + e.index() + " (run): " + e.message());
      }
    }
    if (r.errors().isEmpty()) return OtlpWire.response(0, null);
    String more = r.errors().size() > parts.size() ? "; and " + (r.errors().size() - parts.size()) + " more" : "";
    String message = (rejected > 0 ? rejected + " of " + spans + " spans rejected" : "some run fields were rejected")
        + ": " + String.join("; ", parts) + more;
    return OtlpWire.response(rejected, message);
  }
}
