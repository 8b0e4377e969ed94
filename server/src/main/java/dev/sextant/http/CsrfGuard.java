package dev.sextant.http;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.auth.Principal;

/**
 * Cross-site request forgery: a request that changes state with the UI session cookie must carry
 * {@value #HEADER}. A page on another site can make a browser send the cookie, but not a custom
 * header with it (that needs a CORS preflight allowing credentials, which this server never grants,
 * even to the origins of {@code --cors-origins}). API keys are sent by
 * programs, not browsers, and need no such header.
 */
final class CsrfGuard {
  static final String HEADER = "X-Sextant-Csrf";

  private CsrfGuard() {}

  /** Throws 403 when a session-cookie request that may change state lacks the header. */
  static void check(RequestHeaders headers, Principal principal) {
    if (principal == null || !principal.isSession()) return;
    requireHeader(headers);
  }

  /** For endpoints that act on the session cookie themselves (logout). */
  static void requireHeader(RequestHeaders headers) {
    HttpMethod m = headers.method();
    if (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS) return;
    if (headers.contains(HEADER)) return;
    throw new HttpFailure(HttpStatus.FORBIDDEN, "csrf", "a " + m + " with the UI session cookie needs the header "
        + HEADER + ": 1, which keeps other sites from acting through a logged-in browser; API keys do not need it");
  }
}
