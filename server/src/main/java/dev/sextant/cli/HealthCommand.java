package dev.sextant.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** For container health checks: exits 0 when the server answers {@code /health/ready} with 200, else 1. */
@Command(name = "health", description = "Check that a server on this machine is ready: exit status 0 if so, 1 if not.")
final class HealthCommand implements Callable<Integer> {
  @Option(names = "--url", defaultValue = "${env:SEXTANT_HEALTH_URL:-}", description = "What to ask; default http://127.0.0.1:<SEXTANT_PORT or 8000>/health/ready (SEXTANT_HEALTH_URL).")
  String url;

  @Option(names = "--timeout", defaultValue = "5s", description = "How long to wait for the answer, e.g. 5s.")
  String timeout;

  @Override
  public Integer call() {
    String target = url == null || url.isBlank() ? defaultUrl(System.getenv("SEXTANT_PORT")) : url;
    Duration wait = Sizes.duration("--timeout", timeout);
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(wait).build();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(target)).timeout(wait).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) return 0;
      System.err.println(target + " answered " + r.statusCode() + ": " + r.body());
    } catch (IOException | IllegalArgumentException e) {
      System.err.println(target + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 1;
  }

  static String defaultUrl(String port) {
    return "http://127.0.0.1:" + (port == null || port.isBlank() ? "8000" : port.trim()) + "/health/ready";
  }
}
