package dev.sextant.http;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The routes of one listener. Each is bound to Armeria and remembered, so that a request no route
 * takes can be answered precisely by {@link Unmatched}: {@code 405} with {@code Allow} on a path
 * that has routes for other methods, {@code 404} on a path that has none.
 */
final class RouteTable {
  private final ServerBuilder sb;
  private final Map<String, Set<HttpMethod>> methodsByPattern = new LinkedHashMap<>();

  RouteTable(ServerBuilder sb) {
    this.sb = sb;
  }

  /** {@code GET} and {@code HEAD} (Armeria sends a HEAD answer's headers without its body). */
  void get(String pattern, String name, HttpService service) {
    add(pattern, name, service, HttpMethod.GET, HttpMethod.HEAD);
  }

  void post(String pattern, String name, HttpService service) {
    add(pattern, name, service, HttpMethod.POST);
  }

  void patch(String pattern, String name, HttpService service) {
    add(pattern, name, service, HttpMethod.PATCH);
  }

  void put(String pattern, String name, HttpService service) {
    add(pattern, name, service, HttpMethod.PUT);
  }

  void delete(String pattern, String name, HttpService service) {
    add(pattern, name, service, HttpMethod.DELETE);
  }

  /**
   * @param name the endpoint's {@code service} label on the HTTP metrics: stable across builds, one
   *     per path (the {@code method} label tells the methods apart), listed in docs/operations.md
   */
  private void add(String pattern, String name, HttpService service, HttpMethod... methods) {
    sb.route().methods(methods).path(pattern).defaultServiceName(name).build(service);
    Set<HttpMethod> known = methodsByPattern.computeIfAbsent(pattern, p -> EnumSet.noneOf(HttpMethod.class));
    for (HttpMethod m : methods) known.add(m);
  }

  /**
   * Binds {@link Unmatched} under {@code /}, after every route, so it gets exactly the requests no
   * route takes. Call it last.
   *
   * @param ui the web UI, or null on a listener (or in a build) without it
   */
  void bindUnmatched(HttpService ui) {
    Unmatched unmatched = new Unmatched(this, ui);
    // named per request: the UI's files and pages are "ui", the 404s and 405s "unmatched"
    sb.route().pathPrefix("/")
        .defaultServiceNaming(ctx -> unmatched.servesUi(ctx.path(), ctx.method()) ? "ui" : "unmatched")
        .build(unmatched);
  }

  /** The methods the routes of {@code path} take; empty when no route has that path. */
  Set<HttpMethod> methods(String path) {
    Set<HttpMethod> out = EnumSet.noneOf(HttpMethod.class);
    for (Map.Entry<String, Set<HttpMethod>> e : methodsByPattern.entrySet()) {
      if (matches(e.getKey(), path)) out.addAll(e.getValue());
    }
    return out;
  }

  /** Whether {@code path} fits {@code pattern}, where a {@code {name}} segment stands for any one non-empty segment. */
  static boolean matches(String pattern, String path) {
    String[] want = pattern.split("/", -1);
    String[] got = path.split("/", -1);
    if (want.length != got.length) return false;
    for (int i = 0; i < want.length; i++) {
      boolean param = want[i].startsWith("{") && want[i].endsWith("}");
      if (param ? got[i].isEmpty() : !want[i].equals(got[i])) return false;
    }
    return true;
  }
}
