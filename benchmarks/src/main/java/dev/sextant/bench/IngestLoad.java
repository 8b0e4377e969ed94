package dev.sextant.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for durable native ingest: {@code clients} concurrent connections each POST
 * realistic runs (20 steps by default) to {@code /v1/ingest} in a closed loop for a fixed time, and
 * report acknowledged steps per second and ack latency percentiles. An acknowledgement means the
 * items are committed, so this measures durable throughput.
 *
 * <pre>
 * java benchmarks/src/main/java/dev/sextant/bench/IngestLoad.java \
 *   --url http://127.0.0.1:8000 --key $KEY --clients 16 --seconds 20 --runs-per-request 10
 * </pre>
 */
public final class IngestLoad {
  public static void main(String[] args) throws Exception {
    String url = arg(args, "--url", "http://127.0.0.1:8000");
    String key = arg(args, "--key", System.getenv("SEXTANT_API_KEY"));
    int clients = Integer.parseInt(arg(args, "--clients", "16"));
    int seconds = Integer.parseInt(arg(args, "--seconds", "20"));
    int warmup = Integer.parseInt(arg(args, "--warmup", "5"));
    int runsPerRequest = Integer.parseInt(arg(args, "--runs-per-request", "1"));
    int steps = Integer.parseInt(arg(args, "--steps", "20"));
    String prefix = arg(args, "--prefix", "load-" + System.nanoTime());

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
    AtomicLong sequence = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long warmupEnd = System.nanoTime() + warmup * 1_000_000_000L;
    long end = warmupEnd + seconds * 1_000_000_000L;
    List<Future<long[]>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      results.add(pool.submit(() -> {
        long[] latencies = new long[1 << 16];
        int n = 0;
        long steps0 = 0;
        long errors = 0;
        while (true) {
          long now = System.nanoTime();
          if (now >= end) break;
          String body = body(prefix, sequence, runsPerRequest, steps);
          HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/v1/ingest"))
              .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
          long t0 = System.nanoTime();
          HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
          long t1 = System.nanoTime();
          if (t0 < warmupEnd) continue;
          if (r.statusCode() != 200) {
            errors++;
            continue;
          }
          if (n == latencies.length) latencies = Arrays.copyOf(latencies, n * 2);
          latencies[n++] = t1 - t0;
          steps0 += (long) runsPerRequest * steps;
        }
        long[] out = Arrays.copyOf(latencies, n + 2);
        out[n] = steps0;
        out[n + 1] = errors;
        return out;
      }));
    }
    List<Long> all = new ArrayList<>();
    long totalSteps = 0;
    long errors = 0;
    for (Future<long[]> f : results) {
      long[] r = f.get();
      for (int i = 0; i < r.length - 2; i++) all.add(r[i]);
      totalSteps += r[r.length - 2];
      errors += r[r.length - 1];
    }
    pool.shutdown();
    all.sort(Long::compare);
    System.out.printf("clients=%d runs/request=%d steps/run=%d seconds=%d requests=%d errors=%d%n",
        clients, runsPerRequest, steps, seconds, all.size(), errors);
    System.out.printf("steps/s=%.0f  ack latency ms: p50=%.1f p99=%.1f max=%.1f%n", totalSteps / (double) seconds,
        pct(all, 0.50), pct(all, 0.99), all.isEmpty() ? 0 : all.get(all.size() - 1) / 1e6);
    System.exit(0);
  }

  private static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return 0;
    return sorted.get((int) Math.min(sorted.size() - 1, Math.round(p * (sorted.size() - 1)))) / 1e6;
  }

  private static String body(String prefix, AtomicLong sequence, int runs, int steps) {
    StringBuilder runsJson = new StringBuilder();
    StringBuilder stepsJson = new StringBuilder();
    Instant t = Instant.now();
    String[] types = {"plan", "llm", "tool", "retrieval", "llm"};
    for (int r = 0; r < runs; r++) {
      String runId = prefix + "-" + sequence.incrementAndGet();
      if (r > 0) runsJson.append(',');
      runsJson.append("{\"run_id\":\"").append(runId).append("\",\"agent_id\":\"load-agent\",\"agent_version\":\"v1\",")
          .append("\"environment\":\"bench\",\"name\":\"handle_ticket\",\"labels\":{\"team\":\"bench\"},\"start_time\":\"")
          .append(t).append("\",\"end_time\":\"").append(t.plusMillis(steps * 10L + 5)).append("\",\"status\":\"success\"}");
      for (int i = 0; i < steps; i++) {
        if (stepsJson.length() > 0) stepsJson.append(',');
        String type = types[i % types.length];
        stepsJson.append("{\"run_id\":\"").append(runId).append("\",\"step_id\":\"").append(runId).append('-').append(i)
            .append("\",\"parent_step_id\":").append(i == 0 ? "null" : "\"" + runId + "-0\"")
            .append(",\"seq\":").append(i + 1).append(",\"type\":\"").append(type).append("\",\"name\":\"").append(type)
            .append('_').append(i).append("\",\"start_time\":\"").append(t.plusMillis(i * 10L)).append("\",\"end_time\":\"")
            .append(t.plusMillis(i * 10L + 8)).append("\",\"status\":\"ok\"");
        if (type.equals("llm")) {
          stepsJson.append(",\"model\":\"gpt-4o-mini\",\"provider\":\"openai\",\"input_tokens\":812,\"output_tokens\":96,")
              .append("\"cost_usd\":0.00018,\"time_to_first_token_ms\":212.5");
        } else if (type.equals("tool")) {
          stepsJson.append(",\"metadata\":{\"tool\":\"billing_api\",\"http_status\":200}");
        }
        stepsJson.append('}');
      }
    }
    return "{\"runs\":[" + runsJson + "],\"steps\":[" + stepsJson + "]}";
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) if (args[i].equals(name)) return args[i + 1];
    return fallback;
  }
}
