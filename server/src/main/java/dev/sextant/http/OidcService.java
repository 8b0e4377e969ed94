package dev.sextant.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.Cookie;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.sextant.auth.OidcClient;
import dev.sextant.model.Json;
import dev.sextant.model.ProjectRole;
import dev.sextant.store.Membership;
import dev.sextant.store.Accounts;
import dev.sextant.store.User;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Single sign-on with OpenID Connect: {@code /v1/auth/oidc/login} sends the browser to the
 * provider, {@code /v1/auth/oidc/callback} takes it back, checks the answer, creates or updates the
 * user and starts a session. What the callback must match (state, nonce, PKCE verifier) travels in
 * a short-lived HttpOnly cookie, so any node can finish a login another node started.
 */
final class OidcService {
  static final String PENDING_COOKIE = "sextant_oidc";
  private static final String CALLBACK = "/v1/auth/oidc/callback";
  private static final long PENDING_SECONDS = 600;

  private final OidcClient client;
  private final Accounts store;
  private final Clock clock;
  private final AuditLog audit;
  private final AccountService accounts;

  /** @param client the provider's client, or null when single sign-on is off */
  OidcService(OidcClient client, Accounts store, Clock clock, AuditLog audit, AccountService accounts) {
    this.client = client;
    this.store = store;
    this.clock = clock;
    this.audit = audit;
    this.accounts = accounts;
  }

  /** {@code GET /v1/auth/providers}: how one may sign in, for the login page. */
  HttpResponse providers(Call call) {
    ObjectNode body = Json.object();
    body.put("password", true);
    if (client == null) {
      body.putNull("oidc");
    } else {
      body.putObject("oidc").put("name", client.config().displayName()).put("login_path", "/v1/auth/oidc/login");
    }
    return Responses.ok(body);
  }

  HttpResponse login(Call call) {
    requireEnabled();
    OidcClient.Pending pending = OidcClient.Pending.create();
    URI to;
    try {
      to = client.authorizationUri(pending, redirectUri(call));
    } catch (OidcClient.Failure e) {
      return failed(call, e);
    }
    Cookie cookie = Cookie.secureBuilder(PENDING_COOKIE,
            pending.state() + "." + pending.nonce() + "." + pending.verifier())
        // Lax: the provider sends the browser back with a top-level GET from its own site
        .path("/v1/auth/oidc").httpOnly(true).sameSite("Lax").secure(accounts.secureCookies()).maxAge(PENDING_SECONDS)
        .build();
    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.FOUND)
        .add(HttpHeaderNames.LOCATION, to.toString())
        .add(HttpHeaderNames.SET_COOKIE, cookie.toSetCookieHeader()).build());
  }

  /**
   * The provider's answer. Success: a session cookie and a redirect to the UI. Failure: a redirect
   * to the login page with {@code sso_error} saying why, recorded as a failed login.
   */
  HttpResponse callback(Call call) {
    requireEnabled();
    OidcClient.Pending pending = pending(call);
    try {
      if (call.param("error") != null) {
        throw new OidcClient.Failure("the provider answered " + call.param("error")
            + (call.param("error_description") == null ? "" : ": " + call.param("error_description")));
      }
      if (pending == null) {
        throw new OidcClient.Failure("the sign-in took longer than 10 minutes or did not start here; try again");
      }
      String state = call.param("state");
      if (state == null || !MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
          pending.state().getBytes(StandardCharsets.UTF_8))) {
        throw new OidcClient.Failure("the answer's state does not match this browser's sign-in; try again");
      }
      String code = call.param("code");
      if (code == null) throw new OidcClient.Failure("the provider's answer has no code");
      IDTokenClaimsSet claims = client.exchange(code, pending, redirectUri(call));
      User user = provision(call, claims);
      audit.record(user.username(), call.address(), "login.success", null, null, AuditLog.detail("method", "oidc"));
      return redirect("/", accounts.sessionCookie(user.username()));
    } catch (OidcClient.Failure e) {
      return failed(call, e);
    }
  }

  /** Back to the login page, which shows {@code sso_error}; recorded as a failed login. */
  private HttpResponse failed(Call call, OidcClient.Failure e) {
    audit.record("oidc", call.address(), "login.failure", null, null, AuditLog.detail("reason", e.getMessage()));
    return redirect("/login?sso_error=" + URLEncoder.encode(e.getMessage(), StandardCharsets.UTF_8), null);
  }

  /** Finds the identity's user, creating it on first sign-in, and sets its roles from the roles claim. */
  private User provision(Call call, IDTokenClaimsSet claims) throws OidcClient.Failure {
    String subject = claims.getIssuer().getValue() + "|" + claims.getSubject().getValue();
    Optional<User> linked = store.userBySsoSubject(subject);
    Instant now = clock.instant();
    User user;
    if (linked.isPresent()) {
      user = linked.get();
      if (user.disabled()) throw new OidcClient.Failure("the account " + user.username() + " is disabled in Sextant");
    } else {
      String username = username(claims);
      if (store.user(username).isPresent()) {
        throw new OidcClient.Failure("a Sextant user named " + username + " exists and is not linked to this identity;"
            + " an owner must remove it first");
      }
      user = new User(username, "", now, false, false, subject);
      store.putUser(user);
      audit.record(username, call.address(), "user.provision", null, username, AuditLog.detail("subject", subject));
    }
    List<String> grants = stringList(claims.getClaim(client.config().rolesClaim()));
    boolean owner = grants.contains("owner");
    List<Membership> memberships = new ArrayList<>();
    for (String g : grants) {
      int colon = g.lastIndexOf(':');
      if (colon <= 0) continue;
      ProjectRole role = ProjectRole.parse(g.substring(colon + 1));
      String project = g.substring(0, colon);
      if (role != null && store.project(project).isPresent()) memberships.add(new Membership(project, user.username(), role, now));
    }
    if (owner != user.owner()) {
      if (!owner && UserService.isLastEnabledOwner(store, user)) {
        // the provider dropped the owner group, but without an enabled owner nobody could manage users
        audit.record(user.username(), call.address(), "user.owner.kept", null, user.username(),
            AuditLog.detail("reason", "the last enabled owner keeps the owner role until another user is an owner"));
      } else {
        user = user.withOwner(owner);
        store.putUser(user);
        audit.record(user.username(), call.address(), "user.owner", null, user.username(),
            AuditLog.detail("owner", Boolean.toString(owner)));
      }
    }
    store.replaceMemberships(user.username(), memberships);
    return user;
  }

  /** The first of the username claim, {@code email}, {@code sub} that makes a valid username. */
  private String username(IDTokenClaimsSet claims) throws OidcClient.Failure {
    for (String name : new String[] {client.config().usernameClaim(), "email", "sub"}) {
      Object v = claims.getClaim(name);
      if (v instanceof String s) {
        String candidate = s.toLowerCase(java.util.Locale.ROOT);
        if (InviteService.USERNAME.matcher(candidate).matches()) return candidate;
      }
    }
    throw new OidcClient.Failure("the identity has no " + client.config().usernameClaim()
        + ", email or sub claim that can be a Sextant username (lower-case letters, digits and . _ @ -)");
  }

  private static List<String> stringList(Object claim) {
    List<String> out = new ArrayList<>();
    if (claim instanceof String s) out.add(s);
    if (claim instanceof List<?> l) for (Object o : l) if (o instanceof String s) out.add(s);
    return out;
  }

  private OidcClient.Pending pending(Call call) {
    String header = call.request().headers().get(HttpHeaderNames.COOKIE);
    if (header == null) return null;
    for (Cookie c : Cookie.fromCookieHeader(header)) {
      if (!c.name().equals(PENDING_COOKIE)) continue;
      String[] parts = c.value().split("\\.");
      if (parts.length == 3) return new OidcClient.Pending(parts[0], parts[1], parts[2]);
    }
    return null;
  }

  private URI redirectUri(Call call) {
    if (client.config().redirectUri() != null) return URI.create(client.config().redirectUri());
    String host = call.request().headers().authority();
    return URI.create((call.ctx().sessionProtocol().isTls() ? "https://" : "http://") + host + CALLBACK);
  }

  private void requireEnabled() {
    if (client == null) {
      throw HttpFailure.notFound("single sign-on is not configured; an operator sets --oidc-issuer and"
          + " --oidc-client-id");
    }
  }

  private HttpResponse redirect(String location, String sessionCookie) {
    Cookie clear = Cookie.secureBuilder(PENDING_COOKIE, "").path("/v1/auth/oidc").httpOnly(true).sameSite("Lax")
        .secure(accounts.secureCookies()).maxAge(0).build();
    ResponseHeadersBuilder h = ResponseHeaders.builder(HttpStatus.FOUND).add(HttpHeaderNames.LOCATION, location)
        .add(HttpHeaderNames.SET_COOKIE, clear.toSetCookieHeader());
    if (sessionCookie != null) h.add(HttpHeaderNames.SET_COOKIE, sessionCookie);
    return HttpResponse.of(h.build());
  }
}
