package dev.sextant.testing;

import dev.sextant.model.Json;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * Sends requests to a {@link TestServer} as one caller: an API key, a session cookie, or nobody.
 *
 * @param header the credential header ({@code Authorization}, {@code Cookie}), or null for none
 */
public record Caller(TestServer server, String header, String value) {
  public static Caller key(TestServer server, String secret) {
    return new Caller(server, "Authorization", "Bearer " + secret);
  }

  public static Caller anonymous(TestServer server) {
    return new Caller(server, null, null);
  }

  /** Logs {@code username} in with the password; fails unless the server answers 200. */
  public static Caller login(TestServer server, String username, String password) {
    TestServer.Response r = anonymous(server).send("POST", "/v1/auth/login",
        Json.write(Json.object().put("username", username).put("password", password)));
    if (r.status() != 200) throw new AssertionError("login of " + username + " answered " + r.status() + ": " + r.body());
    String setCookie = r.header("set-cookie");
    return new Caller(server, "Cookie", setCookie.substring(0, setCookie.indexOf(';')));
  }

  public TestServer.Response get(String path) {
    return send("GET", path, null);
  }

  public TestServer.Response post(String path, String json) {
    return send("POST", path, json);
  }

  public TestServer.Response delete(String path) {
    return send("DELETE", path, null);
  }

  /** Any method; a non-null {@code json} is sent as the body. */
  public TestServer.Response send(String method, String path, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) b.header("Content-Type", "application/json");
    if (header != null) b.header(header, value);
    // what the web UI sends with its session cookie on every request that changes state
    if ("Cookie".equals(header) && !method.equals("GET")) b.header("X-Sextant-Csrf", "1");
    return server.send(b.build());
  }
}
