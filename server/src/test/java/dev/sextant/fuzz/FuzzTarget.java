package dev.sextant.fuzz;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.sextant.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * One running server that fuzz inputs are sent to, over real HTTP (and HTTP/2 for gRPC), and the
 * rule every answer must keep: a status below 500, or 503 with {@code Retry-After}. Anything else
 * — a 500, a 503 without {@code Retry-After}, no answer within {@link #TIMEOUT} — is a finding:
 * Jazzer stops and keeps the input.
 */
final class FuzzTarget {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final String LANGFUSE_AUTH = "Basic " + Base64.getEncoder()
      .encodeToString(("pk-sextant-default:" + TestServer.API_KEY).getBytes(StandardCharsets.UTF_8));

  private static FuzzTarget instance;
  private static final java.util.concurrent.atomic.AtomicLong REQUESTS = new java.util.concurrent.atomic.AtomicLong();

  private final TestServer server;
  private final WebClient http;
  private final WebClient otlpHttp;
  private final WebClient grpc;

  private FuzzTarget() {
    server = TestServer.start(c -> c.toBuilder().otlpHttpPort(0).otlpGrpcPort(0).build());
    http = client("http://127.0.0.1:" + server.port());
    otlpHttp = client("http://127.0.0.1:" + server.server().otlpHttpPort());
    grpc = client("h2c://127.0.0.1:" + server.server().otlpGrpcPort());
  }

  private static WebClient client(String uri) {
    return WebClient.builder(uri).responseTimeout(TIMEOUT).maxResponseLength(16 << 20).build();
  }

  /** The server of this JVM, started on first use and stopped when the JVM exits. */
  static synchronized FuzzTarget get() {
    if (instance == null) {
      instance = new FuzzTarget();
      Runtime.getRuntime().addShutdownHook(new Thread(instance.server::close));
    }
    return instance;
  }

  enum Port { HTTP, OTLP_HTTP, OTLP_GRPC }

  /** POSTs {@code body} and checks the answer; {@code headers} are name, value pairs. */
  AggregatedHttpResponse post(Port port, String path, String contentType, byte[] body, String... headers) {
    RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, path).contentType(
        com.linecorp.armeria.common.MediaType.parse(contentType));
    for (int i = 0; i + 1 < headers.length; i += 2) h.add(headers[i], headers[i + 1]);
    WebClient client = switch (port) {
      case HTTP -> http;
      case OTLP_HTTP -> otlpHttp;
      case OTLP_GRPC -> grpc;
    };
    AggregatedHttpResponse r = client.execute(HttpRequest.of(h.build(),
        com.linecorp.armeria.common.HttpData.wrap(body))).aggregate().join();
    REQUESTS.incrementAndGet();
    check(r, path);
    return r;
  }

  /** Inputs sent so far in this JVM. */
  static long requests() {
    return REQUESTS.get();
  }

  static void check(AggregatedHttpResponse r, String what) {
    int status = r.status().code();
    if (status < 500) return;
    if (status == 503 && r.headers().get("retry-after") != null) return;
    throw new AssertionError(what + " answered " + status + (status == 503 ? " without Retry-After" : "") + ": "
        + r.contentUtf8());
  }

  /** The heap in use after a collection, in MB: what the inputs left behind. */
  static long heapAfterGcMb() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    return (rt.totalMemory() - rt.freeMemory()) >> 20;
  }
}
