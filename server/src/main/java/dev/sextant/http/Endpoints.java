package dev.sextant.http;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.auth.Authenticator;
import dev.sextant.auth.Principal;
import dev.sextant.model.Scope;
import dev.sextant.store.Store;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a blocking {@link Handler} into an Armeria service: aggregates the body, authenticates,
 * checks the scope, runs the handler on the blocking executor and maps exceptions to JSON errors.
 */
public final class Endpoints {
  /** A blocking request handler. It may return a future when it waits for a commit. */
  @FunctionalInterface
  public interface Handler {
    Object handle(Call call) throws Exception;
  }

  private final Authenticator authenticator;
  private final Store store;

  public Endpoints(Authenticator authenticator, Store store) {
    this.authenticator = authenticator;
    this.store = store;
  }

  /** A service that needs a credential with {@code scope}. */
  public HttpService secured(Scope scope, Handler handler) {
    return (ctx, req) -> serve(ctx, req, scope, handler);
  }

  /** A service that needs no credential (login, health). */
  public HttpService open(Handler handler) {
    return (ctx, req) -> serve(ctx, req, null, handler);
  }

  private HttpResponse serve(ServiceRequestContext ctx, HttpRequest req, Scope scope, Handler handler) {
    CompletableFuture<HttpResponse> out = req.aggregate().thenComposeAsync(
        agg -> run(ctx, agg, scope, handler), ctx.blockingTaskExecutor());
    return HttpResponse.of(out.exceptionally(Failures::toResponse));
  }

  @SuppressWarnings("unchecked")
  private CompletableFuture<HttpResponse> run(
      ServiceRequestContext ctx, AggregatedHttpRequest agg, Scope scope, Handler handler) {
    try {
      Principal principal = null;
      if (scope != null) {
        Optional<Principal> p = authenticator.authenticate(agg.headers());
        if (p.isEmpty()) {
          return CompletableFuture.completedFuture(Responses.error(HttpStatus.UNAUTHORIZED, "unauthorized",
              Authenticator.presented(agg.headers())
                  ? "the credential is not valid; check the API key or log in again"
                  : "a credential is required: send Authorization: Bearer <api key>, x-api-key, or log in"));
        }
        principal = p.get();
        if (!principal.has(scope)) {
          return CompletableFuture.completedFuture(Responses.error(HttpStatus.FORBIDDEN, "forbidden",
              "this credential lacks the " + scope.wire() + " scope"));
        }
      }
      RequestLogging.enter(ctx);
      String runId = ctx.pathParam("runId");
      if (runId != null) RequestLogging.run(ctx, runId);
      Object result = handler.handle(new Call(ctx, agg, principal, store));
      if (result instanceof CompletableFuture) {
        return ((CompletableFuture<HttpResponse>) result).exceptionally(Failures::toResponse);
      }
      return CompletableFuture.completedFuture((HttpResponse) result);
    } catch (Exception e) {
      return CompletableFuture.completedFuture(Failures.toResponse(e));
    } finally {
      RequestLogging.exit();
    }
  }
}
