package dev.sextant.http;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.auth.Bootstrap;
import dev.sextant.auth.Principal;
import dev.sextant.store.Project;
import dev.sextant.store.Store;

/** One authenticated request as a handler sees it. */
public final class Call {
  final ServiceRequestContext ctx;
  final AggregatedHttpRequest req;
  final Principal principal;
  private final Store store;

  Call(ServiceRequestContext ctx, AggregatedHttpRequest req, Principal principal, Store store) {
    this.ctx = ctx;
    this.req = req;
    this.principal = principal;
    this.store = store;
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

  /**
   * The project this call acts on: an API key's own project, or for a UI session the
   * {@code project} query parameter (default {@code default}).
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
    Project project = store.project(id).orElseThrow(() -> new HttpFailure(HttpStatus.NOT_FOUND, "not_found",
        "project " + id + " does not exist"));
    RequestLogging.project(ctx, id);
    return project;
  }
}
