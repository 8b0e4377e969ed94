package dev.sextant.http;

import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.auth.Authenticator;
import dev.sextant.auth.Bootstrap;
import dev.sextant.auth.Permission;
import dev.sextant.auth.Principal;
import dev.sextant.model.Scope;
import dev.sextant.store.Project;
import dev.sextant.store.Accounts;
import java.util.Optional;

/**
 * Who may call, for every endpoint: the caller from the request's headers alone (so a request is
 * refused before a byte of its body is read), and the project it acts on. An API key acts on its
 * own project; a UI session on the project it names, where its user is a member.
 */
final class Access {
  /** What a client that sent no valid credential is told, by the kind of client an endpoint serves. */
  record Hint(String invalid, String missing) {}

  /** Endpoints of Sextant's API, used with API keys and from the UI. */
  static final Hint API = new Hint("the credential is not valid; check the API key or log in again",
      "a credential is required: send Authorization: Bearer <api key>, x-api-key, or log in");
  /** OTLP exporters, which are configured with headers only. */
  static final Hint OTLP = new Hint("the credential is not valid; check the API key",
      "a credential is required: send Authorization: Bearer <api key> (OTEL_EXPORTER_OTLP_HEADERS="
          + "\"Authorization=Bearer <api key>\"), x-api-key, or Basic public:secret");

  private final Authenticator authenticator;
  private final Accounts store;

  Access(Authenticator authenticator, Accounts store) {
    this.authenticator = authenticator;
    this.store = store;
  }

  /**
   * The caller, or empty when no credential was presented. A credential that is presented must be
   * valid (401), even where none is required, so a typo in a key never sends data elsewhere silently.
   */
  Optional<Principal> caller(RequestHeaders headers, Hint hint) {
    Optional<Principal> p = authenticator.authenticate(headers);
    if (p.isEmpty() && Authenticator.presented(headers)) {
      throw new HttpFailure(HttpStatus.UNAUTHORIZED, "unauthorized", hint.invalid());
    }
    return p;
  }

  /** The caller, who must hold {@code scope}: 401 without a valid credential, 403 without the scope. */
  Principal require(RequestHeaders headers, Scope scope, Hint hint) {
    return admit(caller(headers, hint).orElseThrow(() -> missing(hint)), headers, scope);
  }

  /** The 401 for a request that presented no credential. */
  static HttpFailure missing(Hint hint) {
    return new HttpFailure(HttpStatus.UNAUTHORIZED, "unauthorized", hint.missing());
  }

  /** {@code p} if it holds {@code scope} (403 otherwise) and its request passes the CSRF check. */
  Principal admit(Principal p, RequestHeaders headers, Scope scope) {
    if (!p.may(scope)) {
      throw new HttpFailure(HttpStatus.FORBIDDEN, "forbidden", scope == Scope.METRICS
          ? "the metrics cover every project: they need a key with the metrics scope, an admin key of"
              + " project default or an instance owner's login"
          : "this credential lacks the " + scope.wire() + " scope");
    }
    CsrfGuard.check(headers, p);
    return p;
  }

  /**
   * The project a call of {@code principal} acts on, checked for {@code what}: an API key's own
   * project, or for a UI session the project it asks for ({@code asked}, default {@code default}).
   */
  Project project(ServiceRequestContext ctx, Principal principal, String asked, Permission what) {
    String id;
    if (principal.isSession()) {
      id = asked == null ? Bootstrap.DEFAULT_PROJECT : asked;
    } else {
      id = principal.projectId();
      if (asked != null && !asked.equals(id)) {
        throw new HttpFailure(HttpStatus.FORBIDDEN, "forbidden",
            "this API key belongs to project " + id + " and cannot act on project " + asked);
      }
    }
    return named(ctx, principal, id, what);
  }

  /**
   * Project {@code id} if {@code principal} may do {@code what} in it. A user who is not a member
   * gets the same 404 as for a project that does not exist, so projects cannot be discovered by
   * their ids.
   */
  Project named(ServiceRequestContext ctx, Principal principal, String id, Permission what) {
    Project p = store.project(id).orElse(null);
    if (p == null || principal.isSession() && !principal.owner() && !principal.roles().containsKey(id)) {
      throw HttpFailure.notFound(principal.isSession()
          ? "project " + id + " does not exist or you are not a member of it"
          : "project " + id + " does not exist");
    }
    RequestLogging.project(ctx, id);
    if (!principal.may(what, id)) throw forbidden(principal, what, id);
    return p;
  }

  /** Project {@code default}, which a request without a credential writes to where none is required. */
  Project anonymous(ServiceRequestContext ctx) {
    Project p = store.project(Bootstrap.DEFAULT_PROJECT).orElseThrow(
        () -> HttpFailure.notFound("project " + Bootstrap.DEFAULT_PROJECT + " does not exist"));
    RequestLogging.project(ctx, p.projectId());
    return p;
  }

  static HttpFailure forbidden(Principal principal, Permission what, String projectId) {
    String needs = switch (what) {
      case READ -> "read";
      case INGEST -> "ingest";
      case MANAGE_KEYS -> "member";
      case MANAGE_PROJECT -> "admin";
    };
    if (principal.isSession()) {
      String message = what == Permission.INGEST
          ? "a UI session cannot send data; use an API key with the ingest scope"
          : "your role in project " + projectId + " is " + principal.roles().get(projectId).wire()
              + "; this needs the " + needs + " role";
      return new HttpFailure(HttpStatus.FORBIDDEN, "forbidden", message);
    }
    if (!projectId.equals(principal.projectId())) {
      return new HttpFailure(HttpStatus.FORBIDDEN, "forbidden",
          "this API key belongs to project " + principal.projectId() + " and cannot act on project " + projectId);
    }
    String scope = what == Permission.MANAGE_KEYS || what == Permission.MANAGE_PROJECT ? "admin" : needs;
    return new HttpFailure(HttpStatus.FORBIDDEN, "forbidden", "this credential lacks the " + scope + " scope");
  }
}
