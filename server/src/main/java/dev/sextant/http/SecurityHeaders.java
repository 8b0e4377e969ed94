package dev.sextant.http;

import com.linecorp.armeria.common.HttpHeadersBuilder;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * The headers every response carries, on every listener: no MIME sniffing, no referrer, no
 * framing, and a policy that lets an API answer load nothing. The UI's pages replace the policy
 * with their own ({@link UiService#CSP}); with TLS on, browsers are told to keep to HTTPS.
 */
public final class SecurityHeaders implements DecoratingHttpServiceFunction {
  /** For JSON and other non-page answers: nothing may be loaded or framed from them. */
  static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";
  static final String HSTS = "max-age=31536000";

  private final boolean tls;

  /** @param tls whether the listener serves HTTPS (then {@code Strict-Transport-Security} is sent) */
  public SecurityHeaders(boolean tls) {
    this.tls = tls;
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
    ctx.mutateAdditionalResponseHeaders(h -> {
      apply(h);
      if (tls) h.set("strict-transport-security", HSTS);
    });
    return delegate.serve(ctx, req);
  }

  /** Sets the headers every answer carries; also used for answers the server makes before routing. */
  static void apply(HttpHeadersBuilder h) {
    h.set("x-content-type-options", "nosniff");
    h.set("referrer-policy", "no-referrer");
    h.set("x-frame-options", "DENY");
    h.set("content-security-policy", API_CSP);
  }
}
