package dev.sextant.bench;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Load generator for OTLP/HTTP protobuf ingest: {@code clients} concurrent connections each POST
 * {@code ExportTraceServiceRequest}s ({@code --traces-per-request} traces of {@code --spans} spans
 * with GenAI attributes, the same shape as {@link IngestLoad}'s runs) to {@code /v1/traces} in a
 * closed loop, and report acknowledged spans per second and ack latency percentiles. An
 * acknowledgement means the spans are committed. The protobuf is encoded by hand so that this file
 * runs with the JDK alone.
 *
 * <pre>
 * java benchmarks/src/main/java/dev/sextant/bench/OtlpLoad.java \
 *   --url http://127.0.0.1:4318 --key $KEY --clients 8 --seconds 20 --traces-per-request 10
 * </pre>
 */
public final class OtlpLoad {
  public static void main(String[] args) throws Exception {
    String url = arg(args, "--url", "http://127.0.0.1:4318");
    String key = arg(args, "--key", System.getenv("SEXTANT_API_KEY"));
    int clients = Integer.parseInt(arg(args, "--clients", "8"));
    int seconds = Integer.parseInt(arg(args, "--seconds", "20"));
    int warmup = Integer.parseInt(arg(args, "--warmup", "5"));
    int traces = Integer.parseInt(arg(args, "--traces-per-request", "10"));
    int spans = Integer.parseInt(arg(args, "--spans", "20"));

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long warmupEnd = System.nanoTime() + warmup * 1_000_000_000L;
    long end = warmupEnd + seconds * 1_000_000_000L;
    List<Future<long[]>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      results.add(pool.submit(() -> {
        long[] latencies = new long[1 << 16];
        int n = 0;
        long spans0 = 0;
        long errors = 0;
        while (true) {
          if (System.nanoTime() >= end) break;
          byte[] body = request(traces, spans);
          HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/v1/traces"))
              .header("Authorization", "Bearer " + key).header("Content-Type", "application/x-protobuf")
              .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
          long t0 = System.nanoTime();
          HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
          long t1 = System.nanoTime();
          if (t0 < warmupEnd) continue;
          // a non-empty 200 body is a partial success: some spans were rejected
          if (r.statusCode() != 200 || r.body().length > 0) {
            errors++;
            continue;
          }
          if (n == latencies.length) latencies = Arrays.copyOf(latencies, n * 2);
          latencies[n++] = t1 - t0;
          spans0 += (long) traces * spans;
        }
        long[] out = Arrays.copyOf(latencies, n + 2);
        out[n] = spans0;
        out[n + 1] = errors;
        return out;
      }));
    }
    List<Long> all = new ArrayList<>();
    long totalSpans = 0;
    long errors = 0;
    for (Future<long[]> f : results) {
      long[] r = f.get();
      for (int i = 0; i < r.length - 2; i++) all.add(r[i]);
      totalSpans += r[r.length - 2];
      errors += r[r.length - 1];
    }
    pool.shutdown();
    all.sort(Long::compare);
    System.out.printf("clients=%d traces/request=%d spans/trace=%d seconds=%d requests=%d errors=%d%n",
        clients, traces, spans, seconds, all.size(), errors);
    System.out.printf("spans/s=%.0f  ack latency ms: p50=%.1f p99=%.1f max=%.1f%n", totalSpans / (double) seconds,
        pct(all, 0.50), pct(all, 0.99), all.isEmpty() ? 0 : all.get(all.size() - 1) / 1e6);
    System.exit(0);
  }

  private static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return 0;
    return sorted.get((int) Math.min(sorted.size() - 1, Math.round(p * (sorted.size() - 1)))) / 1e6;
  }

  /** {@code ExportTraceServiceRequest{resource_spans: [{resource, scope_spans: [{scope, spans}]}]}}. */
  static byte[] request(int traces, int spans) {
    Proto resource = new Proto()
        .message(1, kv("service.name", "load-agent")).message(1, kv("service.version", "v1"))
        .message(1, kv("deployment.environment.name", "bench"));
    Proto scope = new Proto().string(1, "bench").string(2, "1.0.0");
    Proto scopeSpans = new Proto().message(1, scope);
    long now = System.currentTimeMillis() * 1_000_000L;
    String[] types = {"invoke_agent", "chat", "execute_tool", "retrieval", "chat"};
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int t = 0; t < traces; t++) {
      byte[] traceId = new byte[16];
      random.nextBytes(traceId);
      byte[] rootId = null;
      for (int i = 0; i < spans; i++) {
        byte[] spanId = new byte[8];
        random.nextBytes(spanId);
        if (i == 0) rootId = spanId;
        String op = types[i % types.length];
        long start = now + i * 10_000_000L;
        Proto span = new Proto().bytes(1, traceId).bytes(2, spanId);
        if (i > 0) span.bytes(4, rootId);
        span.string(5, op + "_" + i).varint(6, op.equals("chat") ? 3 : 1)
            .fixed64(7, start).fixed64(8, i == 0 ? now + spans * 10_000_000L + 5_000_000L : start + 8_000_000L)
            .message(9, kv("gen_ai.operation.name", op));
        if (op.equals("chat")) {
          span.message(9, kv("gen_ai.provider.name", "openai")).message(9, kv("gen_ai.request.model", "gpt-4o-mini"))
              .message(9, kv("gen_ai.usage.input_tokens", 812L)).message(9, kv("gen_ai.usage.output_tokens", 96L))
              .message(9, kv("gen_ai.response.time_to_first_chunk", 0.2125));
        } else if (op.equals("execute_tool")) {
          span.message(9, kv("gen_ai.tool.name", "billing_api")).message(9, kv("http.response.status_code", 200L));
        }
        span.message(15, new Proto().varint(3, 1)).fixed32(16, 1);
        scopeSpans.message(2, span);
      }
    }
    Proto resourceSpans = new Proto().message(1, resource).message(2, scopeSpans);
    return new Proto().message(1, resourceSpans).toByteArray();
  }

  private static Proto kv(String key, Object value) {
    Proto any = new Proto();
    if (value instanceof String) any.string(1, (String) value);
    else if (value instanceof Long) any.varint(3, (Long) value);
    else if (value instanceof Double) any.fixed64(4, Double.doubleToLongBits((Double) value));
    return new Proto().string(1, key).message(2, any);
  }

  /** Just enough of the protobuf wire format: varints, fixed ints, and length-delimited fields. */
  static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long v) {
      tag(field, 0);
      raw(v);
      return this;
    }

    Proto fixed64(int field, long v) {
      tag(field, 1);
      for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
      return this;
    }

    Proto fixed32(int field, int v) {
      tag(field, 5);
      for (int i = 0; i < 4; i++) out.write(v >>> (8 * i));
      return this;
    }

    Proto bytes(int field, byte[] b) {
      tag(field, 2);
      raw(b.length);
      out.writeBytes(b);
      return this;
    }

    Proto string(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto m) {
      return bytes(field, m.toByteArray());
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }

    private void tag(int field, int wireType) {
      raw((long) field << 3 | wireType);
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) if (args[i].equals(name)) return args[i + 1];
    return fallback;
  }
}
