package dev.sextant.http;

import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.auth.Authenticator;
import dev.sextant.auth.Permission;
import dev.sextant.auth.Principal;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.model.Batch;
import dev.sextant.model.Position;
import dev.sextant.model.Scope;
import dev.sextant.protocol.otlp.OtlpDecoder;
import dev.sextant.protocol.otlp.OtlpWire;
import dev.sextant.store.Project;
import dev.sextant.store.Store;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What the OTLP/HTTP and OTLP/gRPC endpoints share: who may send (per listener: a credential is
 * required, or a request without one goes to project {@code default}; the rules are {@link Access}'s),
 * decoding, the pipeline,
 * and the OTLP answer with its partial success.
 */
final class OtlpIngest {
  private final IngestPipeline pipeline;
  /** The ingest pool ({@link IngestPipeline#requests}), or null for the blocking executor. */
  private final Executor requests;
  private final Access access;
  private final boolean credentialRequired;
  private final OtlpDecoder decoder;
  private final BodyBudget budget;

  OtlpIngest(IngestPipeline pipeline, Authenticator authenticator, Store store, boolean credentialRequired,
      BodyBudget budget) {
    this.pipeline = pipeline;
    this.requests = pipeline.requests();
    this.budget = budget;
    this.access = new Access(authenticator, store);
    this.credentialRequired = credentialRequired;
    this.decoder = new OtlpDecoder(pipeline.limits());
  }

  OtlpDecoder decoder() {
    return decoder;
  }

  BodyBudget budget() {
    return budget;
  }

  /** Where a request is authenticated and decoded ({@link IngestPipeline#requests}), in the request's context. */
  Executor requests(ServiceRequestContext ctx) {
    return Endpoints.ingestExecutor(ctx, requests);
  }

  long maxBodyBytes() {
    return pipeline.limits().maxBodyBytes();
  }

  /**
   * The project the request writes to: the key's own, or where no credential is required and none
   * was presented, project {@code default}.
   */
  Project project(ServiceRequestContext ctx, RequestHeaders headers) {
    RequestLogging.enter(ctx);
    try {
      Principal caller = access.caller(headers, Access.OTLP).orElse(null);
      if (caller == null) {
        if (credentialRequired) throw Access.missing(Access.OTLP);
        return access.anonymous(ctx);
      }
      return access.project(ctx, access.admit(caller, headers, Scope.INGEST), null, Permission.INGEST);
    } finally {
      RequestLogging.exit();
    }
  }

  /** Runs the pipeline; completes with the OTLP answer once the accepted spans are committed. */
  CompletableFuture<ExportTraceServiceResponse> ingest(Project project, Batch<Position> batch, String protocol) {
    int spans = batch.sentSteps();
    return pipeline.ingest(project, batch, protocol).thenApply(r -> OtlpWire.response(r.errors(), spans));
  }
}
