package dev.sextant.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for the Sextant server on the JDK's HTTP server. Each request takes the next scripted
 * reply (a status with body and headers, a stall, or garbage); when the script is empty it answers
 * 200 accepting everything.
 */
final class FakeCollector implements AutoCloseable {

  record Request(String method, String path, Map<String, List<String>> headers, byte[] rawBody, String body) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  interface Reply {
    void send(HttpExchange exchange, Request request) throws Exception;
  }

  private final HttpServer server;
  private final Deque<Reply> script = new ArrayDeque<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean stallAll;
  private volatile Reply always;

  FakeCollector() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-collector");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** An endpoint where nothing listens. */
  static String downEndpoint() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  synchronized FakeCollector then(Reply reply) {
    script.add(reply);
    return this;
  }

  FakeCollector thenStatus(int status, String body, String... headers) {
    return then((exchange, request) -> respond(exchange, status, body, headers));
  }

  FakeCollector thenGarbage() {
    return then((exchange, request) -> respond(exchange, 200, "<html>not json", "Content-Type", "text/html"));
  }

  FakeCollector thenStall() {
    return then((exchange, request) -> {
      release.await(60, TimeUnit.SECONDS);
      respond(exchange, 200, accepted(request));
    });
  }

  /** Every request from now on gets {@code reply}, the script aside. */
  void replyAlways(Reply reply) {
    always = reply;
  }

  /** Every request from now on hangs until {@link #close()}. */
  void stallEverything() {
    stallAll = true;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      byte[] body = raw;
      if ("gzip".equalsIgnoreCase(encoding)) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
          body = in.readAllBytes();
        }
      }
      Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          Map.copyOf(exchange.getRequestHeaders()), raw, new String(body, StandardCharsets.UTF_8));
      requests.add(request);
      if (stallAll) {
        release.await(120, TimeUnit.SECONDS);
        exchange.close();
        return;
      }
      Reply reply = always;
      if (reply == null) {
        synchronized (this) {
          reply = script.poll();
        }
      }
      if (reply == null) {
        respond(exchange, 200, accepted(request));
      } else {
        reply.send(exchange, request);
      }
    } catch (Exception e) {
      exchange.close();
    }
  }

  /** A 200 body accepting everything in the request. */
  static String accepted(Request request) {
    int runs = count(request.body(), "\"runs\":[", "\"steps\":[");
    int steps = count(request.body(), "\"steps\":[", null);
    return "{\"accepted\":{\"runs\":" + runs + ",\"steps\":" + steps + "},\"errors\":[]}";
  }

  private static int count(String body, String from, String to) {
    int start = body.indexOf(from);
    if (start < 0) {
      return 0;
    }
    int end = to == null ? body.length() : body.indexOf(to);
    String part = body.substring(start, end < 0 ? body.length() : end);
    int n = 0;
    int i = 0;
    while ((i = part.indexOf("{\"run_id\":", i)) >= 0) {
      n++;
      i++;
    }
    return n;
  }

  static void respond(HttpExchange exchange, int status, String body, String... headers) throws IOException {
    for (int i = 0; i + 1 < headers.length; i += 2) {
      exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
    }
    if (exchange.getResponseHeaders().getFirst("Content-Type") == null) {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
