package dev.sextant.bench;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for durable ingest: {@code clients} concurrent connections each POST realistic runs
 * (20 steps by default) in a closed loop for a fixed time, and report acknowledged steps per second
 * and ack latency percentiles. An acknowledgement means the items are committed, so this measures
 * durable throughput.
 *
 * <p>{@code --protocol} picks what is sent; only the encoding differs, the load and the report are
 * the same:
 *
 * <ul>
 *   <li>{@code native} (default): JSON to {@code /v1/ingest} on the API port, {@code
 *       --runs-per-request} runs of {@code --steps} steps each (defaults 16 clients, 1 run per
 *       request); run ids start with {@code --prefix}.
 *   <li>{@code otlp}: OTLP/HTTP protobuf {@code ExportTraceServiceRequest}s to {@code /v1/traces} on
 *       the OTLP port, {@code --traces-per-request} traces of {@code --spans} spans each with GenAI
 *       attributes, the same shape as the native runs (defaults 8 clients, 10 traces per request). A
 *       200 answer with a non-empty body is a partial success and counts as an error. The protobuf
 *       is encoded by hand so that this file runs with the JDK alone.
 * </ul>
 *
 * <p>{@code --runs-per-request}/{@code --traces-per-request} and {@code --steps}/{@code --spans} are
 * the same options under either name.
 *
 * <pre>
 * java benchmarks/src/main/java/dev/sextant/bench/IngestLoad.java \
 *   --url http://127.0.0.1:8000 --key $KEY --clients 16 --seconds 20 --runs-per-request 10
 * java benchmarks/src/main/java/dev/sextant/bench/IngestLoad.java --protocol otlp \
 *   --url http://127.0.0.1:4318 --key $KEY --clients 8 --seconds 20 --traces-per-request 10
 * </pre>
 *
 * <p>{@code --url} may list several nodes separated by commas; the clients are spread over them.
 */
public final class IngestLoad {
  public static void main(String[] args) throws Exception {
    String name = arg(args, "native", "--protocol");
    Protocol protocol = switch (name) {
      case "native" -> new NativeJson(arg(args, "load-" + System.nanoTime(), "--prefix"));
      case "otlp" -> new OtlpProtobuf();
      default -> throw new IllegalArgumentException("--protocol is native or otlp, not " + name);
    };
    String[] urls = arg(args, protocol.defaultUrl, "--url").split(",");
    String key = arg(args, System.getenv("SEXTANT_API_KEY"), "--key");
    int clients = Integer.parseInt(arg(args, String.valueOf(protocol.defaultClients), "--clients"));
    int seconds = Integer.parseInt(arg(args, "20", "--seconds"));
    int warmup = Integer.parseInt(arg(args, "5", "--warmup"));
    int runsPerRequest = Integer.parseInt(
        arg(args, String.valueOf(protocol.defaultRunsPerRequest), "--runs-per-request", "--traces-per-request"));
    int steps = Integer.parseInt(arg(args, "20", "--steps", "--spans"));

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long warmupEnd = System.nanoTime() + warmup * 1_000_000_000L;
    long end = warmupEnd + seconds * 1_000_000_000L;
    List<Future<long[]>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      URI uri = URI.create(urls[c % urls.length] + protocol.path);
      results.add(pool.submit(() -> {
        long[] latencies = new long[1 << 16];
        int n = 0;
        long steps0 = 0;
        long errors = 0;
        while (true) {
          long now = System.nanoTime();
          if (now >= end) break;
          byte[] body = protocol.body(runsPerRequest, steps);
          HttpRequest req = HttpRequest.newBuilder(uri)
              .header("Authorization", "Bearer " + key).header("Content-Type", protocol.contentType)
              .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
          long t0 = System.nanoTime();
          HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
          long t1 = System.nanoTime();
          if (t0 < warmupEnd) continue;
          if (!protocol.acknowledged(r)) {
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
    String run = protocol.runWord;
    String step = protocol.stepsWord;
    System.out.printf("clients=%d %ss/request=%d %s/%s=%d seconds=%d requests=%d errors=%d%n",
        clients, run, runsPerRequest, step, run, steps, seconds, all.size(), errors);
    System.out.printf("%s/s=%.0f  ack latency ms: p50=%.1f p99=%.1f max=%.1f%n", step, totalSteps / (double) seconds,
        pct(all, 0.50), pct(all, 0.99), all.isEmpty() ? 0 : all.get(all.size() - 1) / 1e6);
    System.exit(0);
  }

  private static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return 0;
    return sorted.get((int) Math.min(sorted.size() - 1, Math.round(p * (sorted.size() - 1)))) / 1e6;
  }

  /** The value of the first of {@code names} given, else {@code fallback}. */
  private static String arg(String[] args, String fallback, String... names) {
    for (String name : names) {
      for (int i = 0; i < args.length - 1; i++) if (args[i].equals(name)) return args[i + 1];
    }
    return fallback;
  }

  /** One way of sending runs: where to, as what, and what counts as an acknowledgement. */
  private abstract static class Protocol {
    final String path;
    final String contentType;
    final String defaultUrl;
    final int defaultClients;
    final int defaultRunsPerRequest;
    /** What the report calls a run and its steps: "run" and "steps", or "trace" and "spans". */
    final String runWord;
    final String stepsWord;

    Protocol(String path, String contentType, String defaultUrl, int defaultClients, int defaultRunsPerRequest,
        String runWord, String stepsWord) {
      this.path = path;
      this.contentType = contentType;
      this.defaultUrl = defaultUrl;
      this.defaultClients = defaultClients;
      this.defaultRunsPerRequest = defaultRunsPerRequest;
      this.runWord = runWord;
      this.stepsWord = stepsWord;
    }

    /** A request body carrying {@code runs} runs of {@code steps} steps each; called by every client. */
    abstract byte[] body(int runs, int steps);

    boolean acknowledged(HttpResponse<byte[]> response) {
      return response.statusCode() == 200;
    }
  }

  /** Native JSON ingest: {@code {"runs": [...], "steps": [...]}} to {@code /v1/ingest}. */
  private static final class NativeJson extends Protocol {
    private static final String[] TYPES = {"plan", "llm", "tool", "retrieval", "llm"};
    private final String prefix;
    private final AtomicLong sequence = new AtomicLong();

    NativeJson(String prefix) {
      super("/v1/ingest", "application/json", "http://127.0.0.1:8000", 16, 1, "run", "steps");
      this.prefix = prefix;
    }

    @Override
    byte[] body(int runs, int steps) {
      StringBuilder runsJson = new StringBuilder();
      StringBuilder stepsJson = new StringBuilder();
      Instant t = Instant.now();
      for (int r = 0; r < runs; r++) {
        String runId = prefix + "-" + sequence.incrementAndGet();
        if (r > 0) runsJson.append(',');
        runsJson.append("{\"run_id\":\"").append(runId).append("\",\"agent_id\":\"load-agent\",\"agent_version\":\"v1\",")
            .append("\"environment\":\"bench\",\"name\":\"handle_ticket\",\"labels\":{\"team\":\"bench\"},\"start_time\":\"")
            .append(t).append("\",\"end_time\":\"").append(t.plusMillis(steps * 10L + 5)).append("\",\"status\":\"success\"}");
        for (int i = 0; i < steps; i++) {
          if (stepsJson.length() > 0) stepsJson.append(',');
          String type = TYPES[i % TYPES.length];
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
      return ("{\"runs\":[" + runsJson + "],\"steps\":[" + stepsJson + "]}").getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * OTLP/HTTP protobuf to {@code /v1/traces}: {@code ExportTraceServiceRequest{resource_spans:
   * [{resource, scope_spans: [{scope, spans}]}]}}, one trace per run with random ids.
   */
  private static final class OtlpProtobuf extends Protocol {
    private static final String[] OPERATIONS = {"invoke_agent", "chat", "execute_tool", "retrieval", "chat"};

    OtlpProtobuf() {
      super("/v1/traces", "application/x-protobuf", "http://127.0.0.1:4318", 8, 10, "trace", "spans");
    }

    @Override
    byte[] body(int traces, int spans) {
      Proto resource = new Proto()
          .message(1, kv("service.name", "load-agent")).message(1, kv("service.version", "v1"))
          .message(1, kv("deployment.environment.name", "bench"));
      Proto scope = new Proto().string(1, "bench").string(2, "1.0.0");
      Proto scopeSpans = new Proto().message(1, scope);
      long now = System.currentTimeMillis() * 1_000_000L;
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (int t = 0; t < traces; t++) {
        byte[] traceId = new byte[16];
        random.nextBytes(traceId);
        byte[] rootId = null;
        for (int i = 0; i < spans; i++) {
          byte[] spanId = new byte[8];
          random.nextBytes(spanId);
          if (i == 0) rootId = spanId;
          String op = OPERATIONS[i % OPERATIONS.length];
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

    /** A non-empty 200 body is a partial success: some spans were rejected. */
    @Override
    boolean acknowledged(HttpResponse<byte[]> response) {
      return response.statusCode() == 200 && response.body().length == 0;
    }

    private static Proto kv(String key, Object value) {
      Proto any = new Proto();
      if (value instanceof String) any.string(1, (String) value);
      else if (value instanceof Long) any.varint(3, (Long) value);
      else if (value instanceof Double) any.fixed64(4, Double.doubleToLongBits((Double) value));
      return new Proto().string(1, key).message(2, any);
    }
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
}
