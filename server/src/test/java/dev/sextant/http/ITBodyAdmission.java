package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.server.Security;
import dev.sextant.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request is authenticated from its headers before its body is read, and bodies in memory at
 * once stay within one budget: the shape of the probe that filled the heap (no credential,
 * {@code Content-Length: 10485744}, {@code {"runs":[} and spaces, the last bytes held back) is
 * answered at once, on every ingest path.
 */
class ITBodyAdmission {
  static final long DECLARED = 10_485_744;
  static final long BUDGET = 12L * 1024 * 1024;
  @RegisterExtension
  static final TestServer server = TestServer.perClass(c -> c.toBuilder().otlpHttpPort(0).otlpGrpcPort(0)
      .security(Security.DEFAULT.withBodyBudget(BUDGET)).build());

  /** Sends the head and the first bytes of a body of {@code DECLARED} bytes, holding back the rest. */
  static Socket holdBody(int port, String path, String contentType, String auth) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(5000);
    OutputStream out = s.getOutputStream();
    out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
        + (auth == null ? "" : "\r\nAuthorization: " + auth) + "\r\nContent-Length: " + DECLARED + "\r\n\r\n{\"runs\":["
        + " ".repeat(4096)).getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }

  /** The status line and headers of the answer, read while the body is still held back. */
  static String head(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().contains("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) break;
      sb.append((char) b);
    }
    return sb.toString();
  }

  @Test
  void withoutACredential_everyHttpIngestPath_answers401BeforeTheBody() throws IOException {
    int main = server.port();
    int otlp = server.server().otlpHttpPort();
    List<Object[]> paths = List.of(
        new Object[] {main, "/v1/ingest", "application/json"},
        new Object[] {main, "/v1/traces", "application/json"},
        new Object[] {otlp, "/v1/traces", "application/x-protobuf"},
        new Object[] {main, "/api/public/otel/v1/traces", "application/json"},
        new Object[] {main, "/runs/multipart", "multipart/form-data; boundary=x"},
        new Object[] {main, "/runs/batch", "application/json"},
        new Object[] {main, "/api/v1/runs", "application/json"},
        new Object[] {main, "/api/public/ingestion", "application/json"});
    for (Object[] p : paths) {
      for (String auth : new String[] {null, "Bearer wrong-key"}) {
        try (Socket s = holdBody((int) p[0], (String) p[1], (String) p[2], auth)) {
          long t0 = System.nanoTime();
          String head = head(s);
          assertThat(head).as("%s with %s", p[1], auth).startsWith("HTTP/1.1 401");
          assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(4000);
        }
      }
    }
    assertThat(server.server().otlpHttpPort()).isPositive();
  }

  @Test
  void withoutACredential_otlpGrpc_answersUnauthenticatedBeforeTheMessage() throws Exception {
    WebClient client = WebClient.of("h2c://127.0.0.1:" + server.server().otlpGrpcPort());
    HttpRequestWriter req = HttpRequest.streaming(RequestHeaders.builder(HttpMethod.POST, OtlpGrpcService.PATH)
        .contentType(MediaType.parse("application/grpc")).add("te", "trailers").build());
    req.write(HttpData.wrap(new byte[] {0, 0, (byte) 0xA0, 0, 0}));
    req.write(HttpData.wrap(new byte[64 * 1024]));
    AggregatedHttpResponse r = client.execute(req).aggregate().get(5, TimeUnit.SECONDS);
    assertThat(r.headers().get("grpc-status")).isEqualTo("16");
    req.abort();
  }

  @Test
  void pastTheBudget_anAuthenticatedBodyIsRefusedWith429BeforeItIsRead() throws Exception {
    String auth = "Bearer " + TestServer.API_KEY;
    try (Socket held = holdBody(server.port(), "/v1/ingest", "application/json", auth)) {
      // the first body's 10 MiB are admitted; a second large body does not fit in the 12 MiB
      awaitInFlight(DECLARED);
      try (Socket second = holdBody(server.port(), "/v1/ingest", "application/json", auth)) {
        String head = head(second);
        assertThat(head).startsWith("HTTP/1.1 429").containsIgnoringCase("retry-after: 1");
      }
      // a chunked body is counted as it arrives and refused once it no longer fits
      TestServer.Response chunked = server.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(server.baseUrl() + "/v1/ingest"))
          .header("Authorization", auth).header("Content-Type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
              () -> new java.io.ByteArrayInputStream(("{\"runs\":[" + " ".repeat(4 * 1024 * 1024) + "]}")
                  .getBytes(StandardCharsets.US_ASCII)))).build());
      assertThat(chunked.status()).isEqualTo(429);
      assertThat(chunked.header("retry-after")).isEqualTo("1");
      assertThat(chunked.body()).contains("\"error\":\"overloaded\"");
    }
    // the held body's bytes come back when its exchange ends
    awaitInFlight(0);
    assertThat(server.post("/v1/ingest", "{\"runs\":[]}").status()).isEqualTo(200);
  }

  static void awaitInFlight(long bytes) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      String scrape = server.get("/metrics").body();
      if (scrape.contains("sextant_http_body_bytes_in_flight " + (double) bytes)) return;
      Thread.sleep(100);
    }
    throw new AssertionError("body bytes in flight never reached " + bytes + ":\n"
        + server.get("/metrics").body().lines().filter(l -> l.contains("in_flight")).toList());
  }
}
