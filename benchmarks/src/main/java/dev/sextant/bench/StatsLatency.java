package dev.sextant.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency of {@code GET /v1/stats}, or of another read ({@code --path /v1/runs}): optionally loads
 * a fixed data set first ({@code --load-runs} runs of {@code --steps} steps, spread over a day,
 * with failures, retries and varied durations so the percentiles and sorts have work to do), then
 * issues {@code --requests} requests one after another, round-robin over the nodes in
 * {@code --url}, and reports latency percentiles.
 *
 * <pre>
 * java benchmarks/src/main/java/dev/sextant/bench/StatsLatency.java \
 *   --url http://127.0.0.1:8000 --key $KEY --load-runs 10000 --requests 100
 * java benchmarks/src/main/java/dev/sextant/bench/StatsLatency.java \
 *   --url http://127.0.0.1:8000 --key $KEY --path /v1/runs --query sort=duration --requests 20
 * </pre>
 */
public final class StatsLatency {
  private static final Pattern TOTAL = Pattern.compile("\"runs\":\\{\"total\":(\\d+)");

  public static void main(String[] args) throws Exception {
    String[] urls = arg(args, "--url", "http://127.0.0.1:8000").split(",");
    String key = arg(args, "--key", System.getenv("SEXTANT_API_KEY"));
    int loadRuns = Integer.parseInt(arg(args, "--load-runs", "0"));
    int steps = Integer.parseInt(arg(args, "--steps", "20"));
    int requests = Integer.parseInt(arg(args, "--requests", "100"));
    int warmup = Integer.parseInt(arg(args, "--warmup", "10"));
    String query = arg(args, "--query", "");
    String path = arg(args, "--path", "/v1/stats");

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    if (loadRuns > 0) load(http, urls, key, loadRuns, steps);

    List<Long> latencies = new ArrayList<>();
    String total = "?";
    for (int i = 0; i < warmup + requests; i++) {
      String url = urls[i % urls.length] + path + (query.isEmpty() ? "" : "?" + query);
      HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
          .timeout(Duration.ofSeconds(120)).GET().build();
      long t0 = System.nanoTime();
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      long t1 = System.nanoTime();
      if (r.statusCode() != 200) throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
      Matcher m = TOTAL.matcher(r.body());
      if (m.find()) total = m.group(1);
      if (i >= warmup) latencies.add(t1 - t0);
    }
    latencies.sort(Long::compare);
    System.out.printf("nodes=%d runs=%s requests=%d%n", urls.length, total, requests);
    System.out.printf("GET %s%s ms: p50=%.1f p95=%.1f p99=%.1f max=%.1f%n", path,
        query.isEmpty() ? "" : "?" + query, pct(latencies, 0.50), pct(latencies, 0.95), pct(latencies, 0.99),
        latencies.get(latencies.size() - 1) / 1e6);
    System.exit(0);
  }

  private static void load(HttpClient http, String[] urls, String key, int runs, int steps) throws Exception {
    int perRequest = 50;
    AtomicLong next = new AtomicLong();
    String prefix = "stats-" + System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int c = 0; c < 4; c++) {
      String url = urls[c % urls.length];
      done.add(pool.submit(() -> {
        long first;
        while ((first = next.getAndAdd(perRequest)) < runs) {
          String body = body(prefix, first, (int) Math.min(perRequest, runs - first), steps);
          HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/v1/ingest"))
              .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
          HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) throw new IllegalStateException("ingest answered " + r.statusCode() + ": " + r.body());
        }
        return null;
      }));
    }
    try {
      for (Future<?> f : done) f.get();
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("loaded %d runs of %d steps in %.1f s%n", runs, steps, (System.nanoTime() - t0) / 1e9);
  }

  /** Runs spread over the last day; durations vary, one in twelve fails, one in ten has a retry. */
  private static String body(String prefix, long first, int count, int steps) {
    Random random = new Random(first);
    Instant day = Instant.now().minus(Duration.ofDays(1));
    StringBuilder runs = new StringBuilder();
    StringBuilder stepJson = new StringBuilder();
    String[] types = {"plan", "llm", "tool", "retrieval", "llm"};
    for (int r = 0; r < count; r++) {
      long n = first + r;
      String runId = prefix + "-" + n;
      Instant start = day.plusMillis(random.nextInt(86_400_000));
      long stepMs = 5 + random.nextInt(200);
      boolean failed = n % 12 == 0;
      if (r > 0) runs.append(',');
      runs.append("{\"run_id\":\"").append(runId).append("\",\"agent_id\":\"agent-").append(n % 3)
          .append("\",\"agent_version\":\"v").append(n % 2 + 1).append("\",\"environment\":\"production\",")
          .append("\"name\":\"handle_ticket\",\"start_time\":\"").append(start).append("\",\"end_time\":\"")
          .append(start.plusMillis(steps * stepMs + 3)).append("\",\"status\":\"")
          .append(failed ? "failure\",\"failure\":{\"type\":\"tool\",\"code\":\"timeout\"}" : "success\"").append('}');
      for (int i = 0; i < steps; i++) {
        if (stepJson.length() > 0) stepJson.append(',');
        String type = types[i % types.length];
        boolean retry = n % 10 == 0 && i == 3;
        stepJson.append("{\"run_id\":\"").append(runId).append("\",\"step_id\":\"s").append(i).append("\",\"seq\":")
            .append(i + 1).append(",\"type\":\"").append(type).append("\",\"name\":\"").append(type).append('_').append(i)
            .append("\",\"start_time\":\"").append(start.plusMillis(i * stepMs)).append("\",\"end_time\":\"")
            .append(start.plusMillis(i * stepMs + random.nextInt((int) stepMs))).append("\",\"status\":\"")
            .append(failed && i == steps - 1 ? "timeout" : "ok").append('"');
        if (retry) stepJson.append(",\"attempt\":2,\"retry_of\":\"s2\"");
        if (type.equals("llm")) {
          stepJson.append(",\"model\":\"gpt-4o-mini\",\"input_tokens\":").append(200 + random.nextInt(1000))
              .append(",\"output_tokens\":").append(20 + random.nextInt(200)).append(",\"cost_usd\":0.0002");
        }
        stepJson.append('}');
      }
    }
    return "{\"runs\":[" + runs + "],\"steps\":[" + stepJson + "]}";
  }

  private static double pct(List<Long> sorted, double p) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.round(p * (sorted.size() - 1)))) / 1e6;
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) if (args[i].equals(name)) return args[i + 1];
    return fallback;
  }
}
