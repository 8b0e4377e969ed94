package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request refused before its body is read (no credential, a credential without the scope) gets
 * its answer over HTTP/2 while the client is still sending the body, not a reset stream.
 */
class ITEarlyAnswers {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void refusedBeforeTheBody_isAnsweredNotReset() throws Exception {
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5))
        .build();
    String body = "{\"runs\":[" + "{\"run_id\":\"x\"},".repeat(20_000) + "{\"run_id\":\"y\"}]}";
    String readOnly = server.newKey("default", "read");
    for (int i = 0; i < 40; i++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/ingest"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
      if (i % 2 == 0) b.header("Authorization", "Bearer " + readOnly);
      HttpResponse<String> r = h2.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("attempt %d: %s", i, r.body()).isEqualTo(i % 2 == 0 ? 403 : 401);
    }
  }
}
