package dev.sextant.http;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.HttpFile;

/**
 * Serves the web UI from the classpath ({@code META-INF/sextant-ui}), falling back to
 * {@code index.html} for client-side routes, under a strict Content-Security-Policy. It gets only
 * the {@code GET} and {@code HEAD} requests {@link Unmatched} gives it.
 */
final class UiService {
  static final String ROOT = "META-INF/sextant-ui";
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none';"
      + " form-action 'self'";

  private UiService() {}

  /** True when the UI was built into this jar. */
  static boolean available() {
    return UiService.class.getClassLoader().getResource(ROOT + "/index.html") != null;
  }

  static HttpService create() {
    ClassLoader cl = UiService.class.getClassLoader();
    HttpFile index = HttpFile.of(cl, ROOT + "/index.html");
    FileService files = FileService.builder(cl, ROOT).serveCompressedFiles(true).build();
    HttpService spa = files.orElse(index.asService());
    return (ServiceRequestContext ctx, HttpRequest req) -> {
      ctx.mutateAdditionalResponseHeaders(h -> {
        h.set("content-security-policy", CSP);
        h.set("x-content-type-options", "nosniff");
        h.set("referrer-policy", "no-referrer");
        h.set("x-frame-options", "DENY");
      });
      return spa.serve(ctx, req);
    };
  }

  /**
   * {@code api}, except for a request that asks for HTML (a browser loading a page), which the UI
   * answers: a path can be both a UI page and an API endpoint ({@code GET /runs/{id}}).
   *
   * @param ui the UI, or null when this server has none (then always {@code api})
   */
  static HttpService orApi(HttpService ui, HttpService api) {
    if (ui == null) return api;
    return (ctx, req) -> {
      String accept = req.headers().get(HttpHeaderNames.ACCEPT);
      return accept != null && accept.contains("text/html") ? ui.serve(ctx, req) : api.serve(ctx, req);
    };
  }

  /** Whether the UI may answer {@code path}: everything outside the API namespaces, whose clients parse JSON. */
  static boolean mayServe(String path) {
    return !path.startsWith("/v1/") && !path.startsWith("/api/");
  }

  /**
   * The UI's pages (the routes of {@code ui/src/App.tsx}). The UI serves them even where an API
   * route has the same path with another method, because a browser asks for them on every reload.
   */
  static boolean isPage(String path) {
    switch (path) {
      case "/":
      case "/login":
      case "/runs":
      case "/dashboard":
      case "/compare":
      case "/start":
      case "/access":
      case "/invite":
        return true;
      default:
        return path.startsWith("/runs/") && path.length() > "/runs/".length() && path.indexOf('/', "/runs/".length()) < 0;
    }
  }

}
