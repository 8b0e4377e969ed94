package dev.sextant.http;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.HttpFile;
import java.net.URL;

/**
 * Serves the web UI from the classpath ({@code META-INF/sextant-ui}), falling back to
 * {@code index.html} for client-side routes, under a strict Content-Security-Policy.
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
    URL index = cl.getResource(ROOT + "/index.html");
    HttpFile indexFile = HttpFile.of(cl, ROOT + "/index.html");
    FileService files = FileService.builder(cl, ROOT).serveCompressedFiles(true).build();
    // API namespaces answer JSON: SDKs (LangSmith under /api/v1, Langfuse under /api/public) parse it.
    HttpService fallback = (ctx, req) -> ctx.path().startsWith("/v1/") || ctx.path().startsWith("/api/")
        ? Responses.error(HttpStatus.NOT_FOUND, "not_found", "no endpoint " + ctx.path() + "; see docs/api.md")
        : index == null
        ? Responses.error(HttpStatus.NOT_FOUND, "not_found", "the web UI is not part of this build")
        : indexFile.asService().serve(ctx, req);
    HttpService spa = files.orElse(fallback);
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

}
