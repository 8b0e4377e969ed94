package dev.sextant.http;

import static dev.sextant.http.ITNativeIngest.assertError;
import static dev.sextant.http.ITNativeIngest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Credentials, scopes, projects, keys and UI sessions. */
class ITAuth {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private TestServer.Response get(String path, String header, String value) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET();
    if (header != null) b.header(header, value);
    return server.send(b.build());
  }

  private TestServer.Response post(String path, String body, String header, String value) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (header != null) b.header(header, value);
    return server.send(b.build());
  }

  @Test
  void missingAndWrongCredentials_are401() {
    TestServer.Response none = get("/v1/runs", null, null);
    assertError(none, 401, "unauthorized");
    assertThat(json(none.body()).path("message").asText()).startsWith("a credential is required");
    TestServer.Response wrong = get("/v1/runs", "Authorization", "Bearer nope");
    assertError(wrong, 401, "unauthorized");
    assertThat(json(wrong.body()).path("message").asText()).startsWith("the credential is not valid");
    assertError(post("/v1/ingest", "{}", "x-api-key", "nope"), 401, "unauthorized");
    assertError(get("/metrics", null, null), 401, "unauthorized");
  }

  @Test
  void everyCredentialForm_isAccepted() {
    assertThat(get("/v1/runs", "Authorization", "Bearer " + TestServer.API_KEY).status()).isEqualTo(200);
    assertThat(get("/v1/runs", "x-api-key", TestServer.API_KEY).status()).isEqualTo(200);
    String basic = Base64.getEncoder().encodeToString(("pk-sextant-default:" + TestServer.API_KEY)
        .getBytes(StandardCharsets.UTF_8));
    assertThat(get("/v1/runs", "Authorization", "Basic " + basic).status()).isEqualTo(200);
    String wrongPublic = Base64.getEncoder().encodeToString(("pk-other:" + TestServer.API_KEY)
        .getBytes(StandardCharsets.UTF_8));
    assertError(get("/v1/runs", "Authorization", "Basic " + wrongPublic), 401, "unauthorized");
  }

  @Test
  void scopesAndProjects_are403() {
    TestServer.Response created = server.post("/v1/projects",
        "{\"project_id\":\"staging\",\"name\":\"Staging\",\"content_policy\":\"full\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(json(created.body()).path("content_policy").asText()).isEqualTo("full");
    assertError(server.post("/v1/projects", "{\"project_id\":\"staging\"}"), 409, "conflict");
    assertError(server.post("/v1/projects", "{\"project_id\":\"Bad Id\"}"), 400, "invalid_parameter");
    assertError(server.post("/v1/projects", "{\"project_id\":\"p2\",\"content_policy\":\"open\"}"), 400,
        "invalid_parameter");

    JsonNode key = json(server.post("/v1/projects/staging/api-keys", "{\"scopes\":[\"ingest\"],\"name\":\"ci\"}").body());
    String ingestOnly = key.path("secret").asText();
    assertThat(key.path("public_id").asText()).startsWith("pk-sextant-");
    assertThat(key.path("scopes").toString()).isEqualTo("[\"ingest\"]");

    TestServer.Response read = get("/v1/runs", "Authorization", "Bearer " + ingestOnly);
    assertError(read, 403, "forbidden");
    assertThat(json(read.body()).path("message").asText()).isEqualTo("this credential lacks the read scope");

    TestServer.Response ingest = post("/v1/ingest", "{\"runs\":[{\"run_id\":\"st-1\",\"name\":\"x\"}]}",
        "Authorization", "Bearer " + ingestOnly);
    assertThat(ingest.status()).isEqualTo(200);
    assertThat(server.get("/v1/runs/st-1").status()).isEqualTo(404);

    TestServer.Response cross = post("/v1/ingest?project=default", "{}", "Authorization", "Bearer " + ingestOnly);
    assertError(cross, 403, "forbidden");
    assertError(server.post("/v1/projects/staging/api-keys", "{\"scopes\":[\"root\"]}"), 400, "invalid_parameter");

    // an admin key of another project manages that project only: it cannot create projects
    String stagingAdmin = json(server.post("/v1/projects/staging/api-keys", "{\"scopes\":[\"admin\"]}").body())
        .path("secret").asText();
    TestServer.Response create = post("/v1/projects", "{\"project_id\":\"p3\"}", "Authorization",
        "Bearer " + stagingAdmin);
    assertError(create, 403, "forbidden");
    assertThat(json(create.body()).path("message").asText()).isEqualTo("this API key belongs to project staging;"
        + " creating projects needs an admin key of project default or the UI admin login");
    assertThat(json(get("/v1/projects", "Authorization", "Bearer " + stagingAdmin).body()).path("projects"))
        .extracting(p -> p.path("project_id").asText()).containsExactly("staging");
    assertThat(json(server.get("/v1/projects").body()).path("projects"))
        .extracting(p -> p.path("project_id").asText()).contains("default", "staging").doesNotContain("p3");
  }

  @Test
  void uiSession_loginMeLogout() {
    assertError(post("/v1/auth/login", "{\"username\":\"admin\",\"password\":\"wrong\"}", null, null), 401,
        "unauthorized");
    TestServer.Response login = post("/v1/auth/login",
        "{\"username\":\"admin\",\"password\":\"" + TestServer.ADMIN_PASSWORD + "\"}", null, null);
    assertThat(login.status()).isEqualTo(200);
    assertThat(json(login.body()).path("username").asText()).isEqualTo("admin");
    String setCookie = login.header("set-cookie");
    assertThat(setCookie).contains("sextant_session=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    TestServer.Response me = get("/v1/auth/me", "Cookie", cookie);
    assertThat(me.status()).isEqualTo(200);
    assertThat(json(me.body()).path("projects").get(0).path("project_id").asText()).isEqualTo("default");
    assertThat(get("/v1/runs?project=default", "Cookie", cookie).status()).isEqualTo(200);
    assertError(get("/v1/runs?project=missing", "Cookie", cookie), 404, "not_found");
    assertError(post("/v1/ingest", "{}", "Cookie", cookie), 403, "forbidden");

    assertThat(server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/auth/logout"))
        .header("Cookie", cookie).header("X-Sextant-Csrf", "1").POST(HttpRequest.BodyPublishers.noBody()).build())
        .status()).isEqualTo(204);
    assertError(get("/v1/auth/me", "Cookie", cookie), 401, "unauthorized");
  }

  @Test
  void publicEndpoints_needNoCredential() {
    assertThat(get("/health", null, null).body()).isEqualTo("{\"status\":\"ok\"}");
    assertThat(get("/health/live", null, null).status()).isEqualTo(200);
    assertThat(get("/health/ready", null, null).status()).isEqualTo(200);
    TestServer.Response openapi = get("/openapi.json", null, null);
    assertThat(openapi.status()).isEqualTo(200);
    assertThat(json(openapi.body()).path("openapi").asText()).startsWith("3.");
    TestServer.Response missing = get("/v1/nothing-here", "Authorization", "Bearer " + TestServer.API_KEY);
    assertError(missing, 404, "not_found");
  }

  @Test
  void metrics_exposePrometheusText() {
    server.post("/v1/ingest", "{\"runs\":[{\"run_id\":\"m-1\"}]}");
    TestServer.Response m = server.get("/metrics");
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.body())
        .contains("sextant_ingest_accepted_items_total{kind=\"run\",protocol=\"native\"}")
        .contains("sextant_ingest_queue_items")
        .contains("sextant_store_commit_seconds")
        .contains("sextant_http_requests_total");
  }
}
