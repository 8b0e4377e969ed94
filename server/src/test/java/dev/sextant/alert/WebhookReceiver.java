package dev.sextant.alert;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP endpoint for notifications: answers 500 to the first {@code failures} requests, then 200. */
final class WebhookReceiver implements AutoCloseable {
  record Received(byte[] body, String signature, int answered) {}

  private final HttpServer server;
  private final AtomicInteger failuresLeft;
  final List<Received> received = new CopyOnWriteArrayList<>();

  WebhookReceiver(int failures) throws IOException {
    failuresLeft = new AtomicInteger(failures);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", exchange -> {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      int code = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
      received.add(new Received(body, exchange.getRequestHeaders().getFirst("X-Sextant-Signature"), code));
      exchange.sendResponseHeaders(code, -1);
      exchange.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  List<Received> accepted() {
    return received.stream().filter(r -> r.answered() == 200).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
