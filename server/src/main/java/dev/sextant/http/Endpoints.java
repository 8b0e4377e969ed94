package dev.sextant.http;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.auth.Authenticator;
import dev.sextant.auth.Permission;
import dev.sextant.auth.Principal;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.model.Scope;
import dev.sextant.store.Store;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Turns a blocking {@link Handler} into an Armeria service: authenticates from the headers alone,
 * then admits the body against the {@link BodyBudget} and reads it, runs the handler on the
 * blocking executor and maps exceptions to JSON errors. A request without a valid credential is
 * answered before a byte of its body is read.
 */
public final class Endpoints {
  /** The largest body an endpoint without a credential (login) reads. */
  static final long OPEN_MAX_BODY_BYTES = 64 * 1024;

  /** A blocking request handler. */
  @FunctionalInterface
  public interface Handler {
    HttpResponse handle(Call call) throws Exception;
  }

  /** A blocking request handler whose answer waits for something else, such as a commit. */
  @FunctionalInterface
  public interface AsyncHandler {
    CompletableFuture<HttpResponse> handle(Call call) throws Exception;
  }

  private final Access access;
  private final BodyBudget budget;
  private final long maxBodyBytes;
  private final Executor ingestRequests;

  /** @param ingestRequests where ingest endpoints run ({@link IngestPipeline#requests}), or null for the blocking executor */
  public Endpoints(Authenticator authenticator, Store store, BodyBudget budget, long maxBodyBytes,
      Executor ingestRequests) {
    this.access = new Access(authenticator, store);
    this.budget = budget;
    this.maxBodyBytes = maxBodyBytes;
    this.ingestRequests = ingestRequests;
  }

  /** A service that needs a credential with {@code scope}. */
  public HttpService secured(Scope scope, Handler handler) {
    return securedAsync(scope, now(handler));
  }

  /** A service that needs a credential with {@code scope} and answers when {@code handler}'s future completes. */
  public HttpService securedAsync(Scope scope, AsyncHandler handler) {
    return (ctx, req) -> serve(ctx, req, scope, handler, ctx.blockingTaskExecutor(), ctx.blockingTaskExecutor());
  }

  /**
   * An ingest endpoint: needs a credential with {@link Scope#INGEST}; the credential is checked and
   * the handler, which decodes the body, runs on the ingest pool when there is one.
   */
  public HttpService ingest(AsyncHandler handler) {
    return (ctx, req) -> {
      Executor pool = ingestExecutor(ctx, ingestRequests);
      return serve(ctx, req, Scope.INGEST, handler, pool, pool);
    };
  }

  /** {@code pool} ({@link IngestPipeline#requests}) in the request's context, or its blocking executor when null. */
  static Executor ingestExecutor(ServiceRequestContext ctx, Executor pool) {
    return pool == null ? ctx.blockingTaskExecutor() : ctx.makeContextAware(pool);
  }

  /** A service that needs no credential (login, health); it reads at most {@link #OPEN_MAX_BODY_BYTES}. */
  public HttpService open(Handler handler) {
    return openAsync(now(handler));
  }

  /** {@link #open} for a handler that answers with a future. */
  public HttpService openAsync(AsyncHandler handler) {
    return (ctx, req) -> serve(ctx, req, null, handler, ctx.blockingTaskExecutor(), ctx.blockingTaskExecutor());
  }

  private static AsyncHandler now(Handler handler) {
    return call -> CompletableFuture.completedFuture(handler.handle(call));
  }

  private HttpResponse serve(ServiceRequestContext ctx, HttpRequest req, Scope scope, AsyncHandler handler,
      Executor authExecutor, Executor handlerExecutor) {
    CompletableFuture<Principal> principal = scope == null ? CompletableFuture.completedFuture(null)
        : CompletableFuture.supplyAsync(() -> access.require(req.headers(), scope, Access.API), authExecutor);
    CompletableFuture<HttpResponse> out = principal.thenCompose(p ->
        budget.aggregate(ctx, req, scope == null ? OPEN_MAX_BODY_BYTES : maxBodyBytes)
            .thenComposeAsync(agg -> run(ctx, agg, p, permission(scope), handler), handlerExecutor));
    return HttpResponse.of(out.exceptionally(t -> {
      Bodies.discardAfterAnswer(ctx, req);
      return Failures.toResponse(t);
    }));
  }

  /** The permission in the call's project that an endpoint of {@code scope} needs. */
  private static Permission permission(Scope scope) {
    if (scope == null) return null;
    return switch (scope) {
      case INGEST -> Permission.INGEST;
      case READ -> Permission.READ;
      case ADMIN -> Permission.MANAGE_PROJECT;
      // /metrics names no project; READ is what a project-scoped call under it would need
      case METRICS -> Permission.READ;
    };
  }

  private CompletableFuture<HttpResponse> run(
      ServiceRequestContext ctx, AggregatedHttpRequest agg, Principal principal, Permission permission,
      AsyncHandler handler) {
    try {
      RequestLogging.enter(ctx);
      String runId = ctx.pathParam("runId");
      if (runId != null) RequestLogging.run(ctx, runId);
      return handler.handle(new Call(ctx, agg, principal, access, permission)).exceptionally(Failures::toResponse);
    } catch (Exception e) {
      return CompletableFuture.completedFuture(Failures.toResponse(e));
    } finally {
      RequestLogging.exit();
    }
  }
}
