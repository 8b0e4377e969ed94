package dev.sextant.integrations.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local fake of a provider's HTTP API on the JDK's HTTP server: each POST path answers with the
 * answers queued for it, in order; the last one repeats. An answer is a JSON body with a status, or a
 * server-sent-event stream written event by event, or a delay (for client timeouts). What the client
 * sent is kept for assertions.
 */
public final class FakeProvider implements AutoCloseable {

  /** One canned answer. */
  public record Answer(int status, String contentType, List<String> chunks, long delayMillis, Map<String, String> headers) {

    /** A JSON body with {@code status}. */
    public static Answer json(int status, String body) {
      return new Answer(status, "application/json", List.of(body), 0, Map.of());
    }

    /** A JSON error body with {@code status} and extra response headers. */
    public static Answer json(int status, String body, Map<String, String> headers) {
      return new Answer(status, "application/json", List.of(body), 0, headers);
    }

    /** A 200 {@code text/event-stream} of {@code events}, each already framed ({@code data: …\n\n}). */
    public static Answer sse(List<String> events) {
      return new Answer(200, "text/event-stream", events, 0, Map.of());
    }

    /** {@code answer}, sent after {@code millis}. */
    public Answer delayed(long millis) {
      return new Answer(status, contentType, chunks, millis, headers);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-provider");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, ConcurrentLinkedQueue<Answer>> answers = new ConcurrentHashMap<>();
  private final Map<String, Answer> last = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();

  public FakeProvider() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Base URL, such as {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues {@code answer} for POSTs to {@code path}. */
  public FakeProvider on(String path, Answer answer) {
    answers.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).add(answer);
    return this;
  }

  /** The request bodies received, in order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      ConcurrentLinkedQueue<Answer> queue = answers.get(path);
      Answer answer = queue == null ? null : queue.poll();
      if (answer == null) {
        answer = last.get(path);
      } else {
        last.put(path, answer);
      }
      if (answer == null) {
        byte[] body = ("{\"error\":{\"message\":\"no answer queued for " + path + "\"}}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      if (answer.delayMillis() > 0) {
        Thread.sleep(answer.delayMillis());
      }
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      boolean stream = answer.contentType().equals("text/event-stream");
      byte[] whole = stream ? null : answer.chunks().get(0).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), stream ? 0 : whole.length);
      OutputStream out = exchange.getResponseBody();
      if (!stream) {
        out.write(whole);
        return;
      }
      for (String event : answer.chunks()) {
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client gave up (a timeout test); nothing to answer
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
