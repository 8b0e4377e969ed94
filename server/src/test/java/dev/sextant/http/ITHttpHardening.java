package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Security headers on every answer, and requests whose framing is ambiguous. */
class ITHttpHardening {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(c -> c.toBuilder().otlpHttpPort(0).otlpGrpcPort(-1).build());

  static void assertSecurityHeaders(TestServer.Response r) {
    assertThat(r.header("x-content-type-options")).as("nosniff on " + r.raw().uri()).isEqualTo("nosniff");
    assertThat(r.header("referrer-policy")).isEqualTo("no-referrer");
    assertThat(r.header("x-frame-options")).isEqualTo("DENY");
    assertThat(r.header("content-security-policy")).contains("frame-ancestors 'none'");
  }

  @Test
  void everyKindOfAnswer_carriesTheSecurityHeaders() {
    TestServer.Response json = server.get("/v1/runs");
    assertThat(json.status()).isEqualTo(200);
    assertSecurityHeaders(json);
    assertThat(json.header("content-security-policy")).isEqualTo("default-src 'none'; frame-ancestors 'none'");
    assertSecurityHeaders(server.call("GET", "/v1/runs", null, null));
    assertSecurityHeaders(server.get("/v1/no-such-endpoint"));
    assertSecurityHeaders(server.call("GET", "/health", null, null));
    assertSecurityHeaders(server.call("PUT", "/v1/ingest", TestServer.API_KEY, "{}"));
    assertSecurityHeaders(server.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + server.server().otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build()));
  }

  @Test
  void contentLengthWithTransferEncoding_isRefusedAndTheConnectionClosed() throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      String body = "{\"runs\":[]}";
      out.write(("POST /v1/ingest HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestServer.API_KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
          + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body
          + "\r\n0\r\n\r\n"
          + "GET /v1/runs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestServer.API_KEY + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = readUntilClosed(s.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 400");
      assertThat(answer).contains("\"error\":\"ambiguous_framing\"")
          .contains("both Content-Length and Transfer-Encoding; send only one of them");
      // nothing on that connection is served: a request already sent after it is refused too
      assertThat(answer).doesNotContain("HTTP/1.1 200");
    }
  }

  @Test
  void wellFramedRequests_onOneConnection_areAllServed() throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(5000);
      String body = "{\"runs\":[]}";
      String auth = "Authorization: Bearer " + TestServer.API_KEY + "\r\n";
      s.getOutputStream().write(("POST /v1/ingest HTTP/1.1\r\nHost: localhost\r\n" + auth
          + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
          + "POST /v1/ingest HTTP/1.1\r\nHost: localhost\r\n" + auth
          + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
          + Integer.toHexString(body.length()) + ";ext=1\r\n" + body + "\r\n0\r\nX-Trailer: 1\r\n\r\n"
          + "GET /v1/runs HTTP/1.1\r\nHost: localhost\r\n" + auth + "Connection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String answer = readUntilClosed(s.getInputStream());
      assertThat(answer.split("HTTP/1.1 200 OK", -1)).as(answer).hasSize(4);
    }
  }

  static String readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] b = new byte[4096];
    try {
      for (int n; (n = in.read(b)) > 0; ) buf.write(b, 0, n);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connection stayed open; read so far: " + buf.toString(StandardCharsets.UTF_8));
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
