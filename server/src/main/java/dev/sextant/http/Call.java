package dev.sextant.http;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.auth.Bootstrap;
import dev.sextant.auth.Permission;
import dev.sextant.auth.Principal;
import dev.sextant.store.Project;
import dev.sextant.store.Store;

/** One authenticated request as a handler sees it. */
public final class Call {
  final ServiceRequestContext ctx;
  final AggregatedHttpRequest req;
  final Principal principal;
  private final Store store;
  private final Permission permission;

  Call(ServiceRequestContext ctx, AggregatedHttpRequest req, Principal principal, Store store, Permission permission) {
    this.ctx = ctx;
    this.req = req;
    this.principal = principal;
    this.store = store;
    this.permission = permission;
  }

  public ServiceRequestContext ctx() {
    return ctx;
  }

  public AggregatedHttpRequest request() {
    return req;
  }

  public Principal principal() {
    return principal;
  }

  public String param(String name) {
    String v = ctx.queryParams().get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  public String path(String name) {
    return ctx.pathParam(name);
  }

  /** Where the caller is: the client's IP address (Armeria's view, proxies' headers as configured). */
  public String address() {
    return ctx.clientAddress().getHostAddress();
  }

  /**
   * The project this call acts on, checked for the permission the endpoint needs: an API key's own
   * project, or for a UI session the {@code project} query parameter (default {@code default}).
   */
  public Project project() {
    String asked = param("project");
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
    return project(id, permission);
  }

  /**
   * Project {@code id} if the caller may do {@code what} in it. A user who is not a member gets the
   * same 404 as for a project that does not exist, so projects cannot be discovered by their ids.
   */
  public Project project(String id, Permission what) {
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
