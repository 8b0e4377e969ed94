package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import dev.sextant.testing.TestServer.Response;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Uncompressed bodies over the 10 MiB limit, which Armeria rejects before a handler reads them:
 * every path answers 413 in its own error encoding, whether the body has a length or is chunked,
 * over HTTP/1.1 or h2c.
 */
class ITBodyLimit {
  static final String MESSAGE = "the request body is larger than the limit of 10485760 bytes (10 MiB, counted after"
      + " decompression); send smaller batches";
  /** 11 MB of JSON-ish text: no handler ever sees it. */
  static final byte[] BIG = big();

  @RegisterExtension
  static final TestServer server = TestServer.perClass(c -> c.toBuilder().otlpHttpPort(0).otlpGrpcPort(0).build());

  static byte[] big() {
    byte[] b = new byte[11_000_000];
    Arrays.fill(b, (byte) 'a');
    b[0] = '{';
    return b;
  }

  static Response post(int port, String path, String contentType, HttpRequest.BodyPublisher body) {
    return server.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .version(HttpClient.Version.HTTP_1_1)
        .header("Authorization", "Bearer " + TestServer.API_KEY).header("Content-Type", contentType)
        .POST(body).build());
  }

  static void assertTooLarge(Response r, String what) {
    assertThat(r.status()).as(what).isEqualTo(413);
    assertThat(r.header("content-type")).as(what).startsWith("application/json");
    assertThat(Json.read(r.body())).as(what).isEqualTo(Json.read(
        "{\"error\":\"too_large\",\"message\":\"" + MESSAGE + "\"}"));
  }

  @Test
  void jsonEndpoints_answer413_withLengthOrChunked() {
    String[][] endpoints = {
        {"/v1/ingest", "application/json"},
        {"/runs/batch", "application/json"},
        {"/api/v1/runs/multipart", "multipart/form-data; boundary=b"},
        {"/api/public/ingestion", "application/json"},
        {"/v1/projects", "application/json"},
    };
    for (String[] e : endpoints) {
      assertTooLarge(post(server.port(), e[0], e[1], HttpRequest.BodyPublishers.ofByteArray(BIG)), e[0]);
      // no Content-Length: Armeria stops reading once the limit is passed
      assertTooLarge(post(server.port(), e[0], e[1],
          HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(BIG))), e[0] + " chunked");
    }
  }

  @Test
  void otlpHttp_answers413_asGoogleRpcStatus_onEitherPort() {
    for (int port : new int[] {server.port(), server.server().otlpHttpPort()}) {
      Response json = post(port, "/v1/traces", "application/json", HttpRequest.BodyPublishers.ofByteArray(BIG));
      assertThat(json.status()).isEqualTo(413);
      assertThat(Json.read(json.body())).isEqualTo(Json.read(
          "{\"code\":8,\"message\":\"" + MESSAGE + "\",\"error\":\"too_large\"}"));

      Response proto = post(port, "/v1/traces", "application/x-protobuf",
          HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(BIG)));
      assertThat(proto.status()).isEqualTo(413);
      assertThat(proto.header("content-type")).isEqualTo("application/x-protobuf");
      // google.rpc.Status{code: 8 RESOURCE_EXHAUSTED, message}
      byte[] status = proto.body().getBytes(StandardCharsets.ISO_8859_1);
      assertThat(status[0]).isEqualTo((byte) 0x08);
      assertThat(status[1]).isEqualTo((byte) 8);
      assertThat(proto.body()).contains(MESSAGE);
    }
  }

  @Test
  void h2c_answers413_too() {
    WebClient h2c = WebClient.builder("h2c://127.0.0.1:" + server.port()).maxResponseLength(0).build();
    AggregatedHttpResponse r = h2c.execute(RequestHeaders.builder(HttpMethod.POST, "/v1/ingest")
        .contentType(com.linecorp.armeria.common.MediaType.JSON)
        .add("authorization", "Bearer " + TestServer.API_KEY).build(), HttpData.wrap(BIG)).aggregate().join();
    assertThat(r.status().code()).isEqualTo(413);
    JsonNode body = Json.read(r.contentUtf8());
    assertThat(body.get("error").asText()).isEqualTo("too_large");
    assertThat(body.get("message").asText()).isEqualTo(MESSAGE);

    WebClient grpc = WebClient.builder("h2c://127.0.0.1:" + server.server().otlpGrpcPort()).maxResponseLength(0).build();
    AggregatedHttpResponse g = grpc.execute(RequestHeaders.builder(HttpMethod.POST, OtlpGrpcService.PATH)
        .contentType(com.linecorp.armeria.common.MediaType.parse("application/grpc"))
        .add("authorization", "Bearer " + TestServer.API_KEY).add("te", "trailers").build(), HttpData.wrap(BIG))
        .aggregate().join();
    assertThat(g.status().code()).isEqualTo(200);
    assertThat(g.headers().get("grpc-status")).isEqualTo("8");
  }

  @Test
  void gzipBomb_getsTheSameAnswer() {
    byte[] bomb = ITOtlpHttp.gzip(("{\"runs\":[{\"run_id\":\"x\",\"metadata\":{\"pad\":["
        + "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",".repeat(400_000) + "1]}}]}").getBytes(StandardCharsets.UTF_8));
    Response r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/ingest"))
        .header("Authorization", "Bearer " + TestServer.API_KEY).header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(bomb)).build());
    assertTooLarge(r, "gzip");
  }
}
