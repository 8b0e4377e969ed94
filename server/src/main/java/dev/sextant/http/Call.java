package dev.sextant.http;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.auth.Permission;
import dev.sextant.auth.Principal;
import dev.sextant.store.Project;

/** One authenticated request as a handler sees it. */
public final class Call {
  final ServiceRequestContext ctx;
  final AggregatedHttpRequest req;
  final Principal principal;
  private final Access access;
  private final Permission permission;

  Call(ServiceRequestContext ctx, AggregatedHttpRequest req, Principal principal, Access access, Permission permission) {
    this.ctx = ctx;
    this.req = req;
    this.principal = principal;
    this.access = access;
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
    return access.project(ctx, principal, param("project"), permission);
  }

  /**
   * Project {@code id} if the caller may do {@code what} in it. A user who is not a member gets the
   * same 404 as for a project that does not exist, so projects cannot be discovered by their ids.
   */
  public Project project(String id, Permission what) {
    return access.named(ctx, principal, id, what);
  }
}
