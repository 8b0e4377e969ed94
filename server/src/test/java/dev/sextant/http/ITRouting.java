package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import dev.sextant.testing.TestServer.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What answers a request no route takes: 405 with Allow, the web UI, or 404 — JSON on every port. */
class ITRouting {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(c -> c.toBuilder().otlpHttpPort(0).otlpGrpcPort(0).build());

  static Response call(int port, String method, String path) {
    return server.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + TestServer.API_KEY).header("Content-Type", "application/json")
        .method(method, method.equals("GET") || method.equals("HEAD") || method.equals("DELETE")
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"))
        .build());
  }

  static void assertNotAllowed(int port, String method, String path, String allow) {
    Response r = call(port, method, path);
    String what = method + " " + path;
    assertThat(r.status()).as(what).isEqualTo(405);
    assertThat(r.header("allow")).as(what).isEqualTo(allow);
    assertThat(r.header("content-type")).as(what).startsWith("application/json");
    assertThat(Json.read(r.body())).as(what).isEqualTo(Json.read("{\"error\":\"method_not_allowed\",\"message\":\""
        + method + " is not allowed on " + path + "; use " + allow + "\"}"));
  }

  @Test
  void wrongMethod_onApiPaths_is405WithAllow() {
    int port = server.port();
    assertNotAllowed(port, "DELETE", "/v1/runs", "GET, HEAD");
    assertNotAllowed(port, "GET", "/v1/ingest", "POST");
    assertNotAllowed(port, "POST", "/v1/stats", "GET, HEAD");
    assertNotAllowed(port, "PUT", "/v1/projects", "GET, HEAD, POST");
    assertNotAllowed(port, "DELETE", "/v1/projects/default", "PATCH");
    assertNotAllowed(port, "GET", "/v1/traces", "POST");
    assertNotAllowed(port, "GET", "/v1/auth/login", "POST");
    assertNotAllowed(port, "POST", "/v1/runs/some-run/steps/some-step", "GET, HEAD");
    assertNotAllowed(port, "GET", "/api/public/ingestion", "POST");
    assertNotAllowed(port, "GET", "/api/public/otel/v1/traces", "POST");
  }

  @Test
  void wrongMethod_onOperationsPaths_is405WithAllow() {
    for (String path : new String[] {"/health", "/health/live", "/health/ready", "/metrics", "/openapi.json",
        "/info", "/api/v1/info"}) {
      assertNotAllowed(server.port(), "POST", path, "GET, HEAD");
    }
  }

  @Test
  void getOnPostOnlyLangSmithPaths_is405_exceptWhereTheUiHasAPage() {
    assertNotAllowed(server.port(), "GET", "/otel/v1/traces", "POST");
    assertNotAllowed(server.port(), "GET", "/api/v1/otel/v1/traces", "POST");
    assertNotAllowed(server.port(), "GET", "/api/v1/runs", "POST");
    // /runs and /runs/{id} are the UI's runs pages: a browser reloads them with GET, asking for HTML
    for (String page : new String[] {"/runs", "/runs/batch", "/runs/multipart", "/runs/0f3c2a"}) {
      Response r = server.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + page))
          .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").GET().build());
      assertThat(r.status()).as(page).isEqualTo(200);
      assertThat(r.header("content-type")).as(page).startsWith("text/html");
    }
    // ... while a client that does not ask for HTML reads the LangSmith run (here: none)
    for (String path : new String[] {"/runs/0f3c2a", "/api/v1/runs/0f3c2a"}) {
      Response r = call(server.port(), "GET", path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.header("content-type")).as(path).startsWith("application/json");
    }
    assertNotAllowed(server.port(), "DELETE", "/runs", "GET, HEAD, POST");
    assertNotAllowed(server.port(), "POST", "/runs/0f3c2a", "GET, HEAD, PATCH");
  }

  @Test
  void webUi_servesItsPages_andRefusesOtherMethods() {
    for (String page : new String[] {"/", "/dashboard", "/compare", "/start", "/login", "/no-such-page"}) {
      Response r = call(server.port(), "GET", page);
      assertThat(r.status()).as(page).isEqualTo(200);
      assertThat(r.header("content-type")).as(page).startsWith("text/html");
      assertThat(r.header("content-security-policy")).as(page).contains("default-src 'self'");
    }
    assertNotAllowed(server.port(), "POST", "/dashboard", "GET, HEAD");
    assertNotAllowed(server.port(), "DELETE", "/", "GET, HEAD");
  }

  @Test
  void unknownApiPath_is404Json() {
    for (String path : new String[] {"/v1/nothing", "/api/public/projects", "/api/v1/datasets"}) {
      Response r = call(server.port(), "GET", path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(Json.read(r.body())).as(path).isEqualTo(Json.read("{\"error\":\"not_found\",\"message\":"
          + "\"no endpoint GET " + path + "; the API is described at /openapi.json\"}"));
    }
  }

  @Test
  void head_isAnsweredWhereGetIs() {
    Response health = call(server.port(), "HEAD", "/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.header("content-type")).startsWith("application/json");
    assertThat(call(server.port(), "HEAD", "/v1/runs").status()).isEqualTo(200);
    Response post = call(server.port(), "HEAD", "/v1/ingest");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("allow")).isEqualTo("POST");
  }

  @Test
  void otlpPorts_answer405And404AsJsonToo() {
    assertNotAllowed(server.server().otlpHttpPort(), "GET", "/v1/traces", "POST");
    assertNotAllowed(server.server().otlpGrpcPort(), "GET", OtlpGrpcService.PATH, "POST");
    Response r = call(server.server().otlpHttpPort(), "GET", "/runs");
    assertThat(r.status()).isEqualTo(404);
    assertThat(Json.read(r.body()).get("error").asText()).isEqualTo("not_found");
  }
}
