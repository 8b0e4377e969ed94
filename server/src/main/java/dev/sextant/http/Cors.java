package dev.sextant.http;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.cors.CorsServiceBuilder;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Cross-origin access for browser apps on other origins (off unless origins are configured).
 * Credentials are API keys in headers, never cookies: the UI's session cookie is not offered to
 * other origins ({@code Access-Control-Allow-Credentials} is not sent). A preflight from an origin
 * not on the list is refused with {@code 403} and a JSON error that names the option, rather than
 * answered without CORS headers, so the refusal is visible outside the browser too.
 */
public final class Cors {
  private Cors() {}

  /** @param origins exact origins such as {@code https://app.example.com}, or {@code *} for any */
  public static Function<? super HttpService, ? extends HttpService> decorator(List<String> origins) {
    boolean any = origins.contains("*");
    CorsServiceBuilder b = any ? CorsService.builderForAnyOrigin() : CorsService.builder(origins);
    Function<? super HttpService, CorsService> cors = b
        .allowRequestMethods(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PATCH)
        .allowRequestHeaders("authorization", "x-api-key", "content-type", "content-encoding", "traceparent",
            "tracestate", "langsmith-project", "x-langsmith-project")
        .exposeHeaders("x-trace-id", "retry-after", "content-disposition")
        .maxAge(Duration.ofHours(1))
        .newDecorator();
    return delegate -> {
      HttpService withCors = cors.apply(delegate);
      return (ctx, req) -> {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        boolean preflight = req.method() == HttpMethod.OPTIONS
            && req.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (preflight && !any && origin != null && !origins.contains(origin)) {
          return Responses.error(HttpStatus.FORBIDDEN, "cors_origin_not_allowed", "origin " + origin
              + " may not call this API from a browser; add it to --cors-origins (SEXTANT_CORS_ORIGINS)");
        }
        return withCors.serve(ctx, req);
      };
    };
  }
}
