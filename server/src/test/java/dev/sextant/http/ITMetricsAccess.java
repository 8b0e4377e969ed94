package dev.sextant.http;

import static dev.sextant.http.ITNativeIngest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /metrics} counts every project, so only the metrics scope and instance administrators read it. */
class ITMetricsAccess {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void aProjectsReadOrAdminKey_isRefused() {
    for (String key : new String[] {server.newKey("default", "read", "ingest"), server.newKey("tenant", "read"),
        server.newKey("tenant", "admin", "read", "ingest")}) {
      TestServer.Response r = server.call("GET", "/metrics", key, null);
      assertError(r, 403, "forbidden");
      assertThat(r.body()).contains("they need a key with the metrics scope");
    }
  }

  @Test
  void theMetricsScopeAndInstanceAdmins_mayRead() {
    String metricsOnly = server.newKey("tenant-m", "metrics");
    TestServer.Response r = server.call("GET", "/metrics", metricsOnly, null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("sextant_");
    // ... and nothing else
    assertError(server.call("GET", "/v1/runs", metricsOnly, null), 403, "forbidden");
    assertThat(server.call("GET", "/metrics", server.newKey("default", "admin"), null).status()).isEqualTo(200);
  }

  @Test
  void onlyAnInstanceAdmin_givesTheMetricsScope() {
    String tenantAdmin = server.newKey("tenant-x", "admin");
    TestServer.Response r = server.call("POST", "/v1/projects/tenant-x/api-keys", tenantAdmin, "{\"scopes\":[\"metrics\"]}");
    assertError(r, 403, "forbidden");
    assertThat(Json.read(r.body()).path("message").asText()).contains("only an admin key of project default");
    assertThat(server.call("POST", "/v1/projects/tenant-x/api-keys", tenantAdmin, "{\"scopes\":[\"read\"]}").status())
        .isEqualTo(201);
  }
}
