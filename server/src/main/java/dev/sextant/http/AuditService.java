package dev.sextant.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.sextant.auth.Permission;
import dev.sextant.auth.Principal;
import dev.sextant.model.Json;
import dev.sextant.model.Times;
import dev.sextant.store.AuditEvent;
import dev.sextant.store.AuditQuery;
import dev.sextant.store.AuditStore;
import java.util.List;

/** {@code GET /v1/audit}: the audit log, newest first, filtered and paged. */
final class AuditService {
  private final AuditStore store;

  AuditService(AuditStore store) {
    this.store = store;
  }

  HttpResponse list(Call call) {
    Principal p = call.principal();
    String project = call.param("project");
    if (project != null) {
      call.project(project, Permission.MANAGE_PROJECT);
    } else if (!p.isInstanceAdmin()) {
      if (!p.isSession()) {
        project = p.projectId();
        call.project(project, Permission.MANAGE_PROJECT);
      } else {
        throw new HttpFailure(HttpStatus.FORBIDDEN, "forbidden",
            "only an instance owner reads the whole audit log; add project=<id> for a project you are admin of");
      }
    }
    int limit = RunQueryParser.intParam(call, "limit", 100, 1000);
    long before = cursor(call.param("cursor"));
    Long from = RunQueryParser.time(call, "from");
    Long to = RunQueryParser.time(call, "to");
    List<AuditEvent> events = store.auditEvents(new AuditQuery(project, call.param("actor"), call.param("action"),
        from == null ? null : Times.toInstant(from), to == null ? null : Times.toInstant(to), before, limit + 1));
    ObjectNode body = Json.object();
    ArrayNode arr = body.putArray("events");
    for (int i = 0; i < Math.min(limit, events.size()); i++) arr.add(json(events.get(i)));
    if (events.size() > limit) body.put("next_cursor", Long.toString(events.get(limit - 1).id()));
    else body.putNull("next_cursor");
    return Responses.ok(body);
  }

  private static long cursor(String value) {
    if (value == null) return 0;
    try {
      long v = Long.parseLong(value);
      if (v > 0) return v;
    } catch (NumberFormatException e) {
      // fall through to the error
    }
    throw HttpFailure.badRequest("cursor must be the next_cursor of an earlier page, got \"" + value + "\"");
  }

  static ObjectNode json(AuditEvent e) {
    ObjectNode o = Json.object();
    o.put("id", Long.toString(e.id()));
    o.put("time", Times.format(Times.toNanos(e.time())));
    o.put("actor", e.actor());
    o.put("action", e.action());
    o.put("project_id", e.projectId());
    o.put("target", e.target());
    o.put("address", e.address());
    o.set("detail", e.detail() == null ? null : Json.read(e.detail()));
    return o;
  }
}
