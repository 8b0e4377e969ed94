package dev.sextant.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import dev.sextant.auth.Bootstrap;
import dev.sextant.metrics.AgentMetrics;
import dev.sextant.model.Json;
import dev.sextant.store.Store;
import dev.sextant.store.StoreFullException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;

/** Health probes, Prometheus metrics and the OpenAPI document. */
final class OpsService {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OpsService.class);
  private final Store store;
  private final PrometheusMeterRegistry registry;
  private final AgentMetrics agents;

  OpsService(Store store, PrometheusMeterRegistry registry, AgentMetrics agents) {
    this.store = store;
    this.registry = registry;
    this.agents = agents;
  }

  HttpResponse health(Call call) {
    return Responses.ok(status("ok"));
  }

  HttpResponse ready(Call call) {
    try {
      store.check();
      return Responses.ok(status("ok"));
    } catch (StoreFullException e) {
      ObjectNode body = status("store_full");
      body.put("message", "the store's disk is full: ingest is refused until there is room again (free disk space,"
          + " or shorten retention)");
      return Responses.json(HttpStatus.SERVICE_UNAVAILABLE, body);
    } catch (RuntimeException e) {
      log.warn("readiness: the store is unreachable: {}", e.getMessage());
      ObjectNode body = status("unavailable");
      body.put("message", "the store is unreachable; the reason is in the server log");
      return Responses.json(HttpStatus.SERVICE_UNAVAILABLE, body);
    }
  }

  /**
   * The server's own series and the agent series of one project: the {@code project} parameter
   * (the metrics scope reads every project), else the key's project, else {@code default}.
   */
  HttpResponse metrics(Call call) {
    String asked = call.param("project");
    String project = asked != null ? asked
        : call.principal().isSession() ? Bootstrap.DEFAULT_PROJECT : call.principal().projectId();
    if (store.project(project).isEmpty()) throw HttpFailure.notFound("project " + project + " does not exist");
    return text(registry.scrape() + agents.render(project));
  }

  /** The agent series of the caller's project only: for a project's read key, which {@code /metrics} refuses. */
  HttpResponse projectMetrics(Call call) {
    return text(agents.render(call.project().projectId()));
  }

  private static HttpResponse text(String body) {
    return HttpResponse.of(HttpStatus.OK, MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), body);
  }

  static HttpResponse openapi(Call call) throws IOException {
    try (InputStream in = OpsService.class.getClassLoader().getResourceAsStream("openapi.json")) {
      if (in == null) return Responses.error(HttpStatus.NOT_FOUND, "not_found", "no OpenAPI document in this build");
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, in.readAllBytes());
    }
  }

  private static ObjectNode status(String s) {
    ObjectNode o = Json.object();
    o.put("status", s);
    return o;
  }
}
