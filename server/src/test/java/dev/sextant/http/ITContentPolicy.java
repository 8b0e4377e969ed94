package dev.sextant.http;

import static dev.sextant.http.ITNativeIngest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The project's content policy is applied before anything is stored, on the native path. */
class ITContentPolicy {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final String BODY = "{\"runs\":[{\"run_id\":\"p-1\",\"input\":{\"question\":\"mail bob@example.com\"},"
      + "\"output\":\"done\",\"failure\":{\"type\":\"tool\",\"code\":\"timeout\",\"message\":\"call +44 20 7946 0958\"},"
      + "\"status\":\"failure\"}],\"steps\":[{\"run_id\":\"p-1\",\"step_id\":\"s\",\"type\":\"llm\","
      + "\"input\":[{\"role\":\"user\",\"content\":\"my card is 4111 1111 1111 1111\"}],\"output\":\"ok\","
      + "\"error\":{\"type\":\"model\",\"code\":\"rate_limited\",\"message\":\"key sk-abcdefghijklmnopqrstu rejected\"},"
      + "\"metadata\":{\"http_status\":429,\"tool\":\"billing_api\",\"prompt\":\"free text with spaces\","
      + "\"api_key\":\"abc123\",\"nested\":{\"retries\":2,\"note\":\"a b\"}},"
      + "\"events\":[{\"name\":\"chunk\",\"time\":\"2026-11-22T10:00:00Z\",\"attributes\":{\"text\":\"hello world\",\"n\":1}}]}]}";

  @BeforeAll
  static void start() {
    server.post("/v1/projects", "{\"project_id\":\"dev\",\"content_policy\":\"full\"}");
    server.post("/v1/projects", "{\"project_id\":\"masked\",\"content_policy\":\"redacted\"}");
  }

  private JsonNode ingestAndRead(String project) {
    String key = project.equals("default") ? TestServer.API_KEY
        : json(server.post("/v1/projects/" + project + "/api-keys", "{\"scopes\":[\"ingest\",\"read\"]}").body())
            .path("secret").asText();
    TestServer.Response r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/ingest"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode run = json(server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/runs/p-1"))
        .header("Authorization", "Bearer " + key).build()).body());
    JsonNode step = json(server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/runs/p-1/steps/s"))
        .header("Authorization", "Bearer " + key).build()).body());
    return json("{\"run\":" + run + ",\"step\":" + step + "}");
  }

  @Test
  void metadataOnly_dropsContentAndFreeText() {
    JsonNode d = ingestAndRead("default");
    assertThat(d.at("/run/run/input").isNull()).isTrue();
    assertThat(d.at("/run/run/output").isNull()).isTrue();
    assertThat(d.at("/run/failure/message").isNull()).isTrue();
    assertThat(d.at("/run/failure/code").asText()).isEqualTo("timeout");
    assertThat(d.at("/step/input").isNull()).isTrue();
    assertThat(d.at("/step/error")).isEqualTo(json("{\"type\":\"model\",\"code\":\"rate_limited\",\"message\":null}"));
    assertThat(d.at("/step/metadata")).isEqualTo(
        json("{\"http_status\":429,\"tool\":\"billing_api\",\"api_key\":\"[secret]\",\"nested\":{\"retries\":2}}"));
    assertThat(d.at("/step/events/0/attributes")).isEqualTo(json("{\"n\":1}"));
  }

  @Test
  void redacted_keepsContentWithoutPersonalData() {
    JsonNode d = ingestAndRead("masked");
    assertThat(d.at("/run/run/input/question").asText()).isEqualTo("mail [email]");
    assertThat(d.at("/run/failure/message").asText()).isEqualTo("call [phone]");
    assertThat(d.at("/step/input/0/content").asText()).isEqualTo("my card is [card]");
    assertThat(d.at("/step/error/message").asText()).isEqualTo("key [secret] rejected");
    assertThat(d.at("/step/metadata/api_key").asText()).isEqualTo("[secret]");
    assertThat(d.at("/step/metadata/prompt").asText()).isEqualTo("free text with spaces");
  }

  @Test
  void full_keepsEverything() {
    JsonNode d = ingestAndRead("dev");
    assertThat(d.at("/run/run/input/question").asText()).isEqualTo("mail bob@example.com");
    assertThat(d.at("/step/input/0/content").asText()).isEqualTo("my card is 4111 1111 1111 1111");
    assertThat(d.at("/step/metadata/prompt").asText()).isEqualTo("free text with spaces");
    assertThat(d.at("/step/events/0/attributes/text").asText()).isEqualTo("hello world");
  }
}
