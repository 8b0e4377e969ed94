package dev.sextant.http;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.model.Json;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every request no route takes. A path some route has, asked with another method, is {@code 405}
 * with {@code Allow}; the web UI answers {@code GET} and {@code HEAD} on its own paths; anything
 * else is {@code 404}. All of them as JSON errors.
 *
 * <p>The UI owns every path outside the API namespaces {@code /v1/} and {@code /api/} for
 * {@code GET}, except where an API route already has the path: {@code GET /otel/v1/traces} is a
 * 405, not a page. The UI's own pages win over such a route, because a browser reloads them: {@code
 * GET /runs} is the runs page, although LangSmith SDKs {@code POST /runs}. ({@code GET /runs/{id}}
 * has a route of its own, which gives the run page to requests that ask for HTML: see {@link
 * UiService#orApi}.)
 */
final class Unmatched implements HttpService {
  private final RouteTable routes;
  private final HttpService ui;

  Unmatched(RouteTable routes, HttpService ui) {
    this.routes = routes;
    this.ui = ui;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
    String path = ctx.path();
    HttpMethod method = ctx.method();
    Set<HttpMethod> allowed = routes.methods(path);
    if (uiPath(path, allowed)) {
      if (isRead(method)) return ui.serve(ctx, req);
      allowed.add(HttpMethod.GET);
      allowed.add(HttpMethod.HEAD);
    }
    if (!allowed.isEmpty()) return methodNotAllowed(method, path, allowed);
    return Responses.error(HttpStatus.NOT_FOUND, "not_found",
        "no endpoint " + method + " " + path + "; the API is described at /openapi.json");
  }

  /** Whether the web UI answers this request. */
  boolean servesUi(String path, HttpMethod method) {
    return isRead(method) && uiPath(path, routes.methods(path));
  }

  private boolean uiPath(String path, Set<HttpMethod> apiMethods) {
    return ui != null && UiService.mayServe(path) && (apiMethods.isEmpty() || UiService.isPage(path));
  }

  private static boolean isRead(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD;
  }

  static HttpResponse methodNotAllowed(HttpMethod method, String path, Set<HttpMethod> allowed) {
    String list = EnumSet.copyOf(allowed).stream().map(HttpMethod::name).collect(Collectors.joining(", "));
    ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
        .contentType(MediaType.JSON_UTF_8)
        .set(HttpHeaderNames.ALLOW, list)
        .build();
    return HttpResponse.of(headers, HttpData.ofUtf8(Json.write(Responses.errorBody(
        "method_not_allowed", method + " is not allowed on " + path + "; use " + list))));
  }
}
