package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.Settings;
import dev.sextant.testing.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request that runs out of time is answered 503 with {@code Retry-After}, never 408 or a bare
 * 503: under load a client must learn to come back, and a retry is safe.
 */
class ITRequestTimeouts {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(c -> c.toBuilder()
      .settings(new Settings(0, Duration.ofMillis(500), List.of(), false)).build());

  @Test
  void aBodyThatDoesNotArriveInTime_isAnswered503WithRetryAfter() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestServer.API_KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"runs\":[").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // the rest of the body never comes
      String answer = read(s.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 503");
      assertThat(answer.toLowerCase()).contains("\r\nretry-after: 2\r\n");
      assertThat(answer).contains("\"error\":\"unavailable\"").contains("Retry-After");
    }
  }

  @Test
  void aRequestAnsweredInTime_isUnaffected() {
    assertThat(server.post("/v1/ingest", "{\"runs\":[{\"run_id\":\"in-time\",\"agent_id\":\"a\","
        + "\"start_time\":\"2026-11-22T10:00:00Z\"}]}").status()).isEqualTo(200);
  }

  private static String read(InputStream in) throws Exception {
    StringBuilder b = new StringBuilder();
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) > 0) {
      b.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      if (b.indexOf("\r\n\r\n") >= 0 && b.indexOf("}") > 0) break;
    }
    return b.toString();
  }
}
