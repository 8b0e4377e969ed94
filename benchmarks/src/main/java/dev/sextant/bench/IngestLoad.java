package dev.sextant.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for ingest, cheap enough that the server, not the generator, is what is measured.
 * {@code --clients} threads each keep one HTTP/1.1 keep-alive socket open and POST in a closed loop
 * for {@code --warmup} then {@code --seconds} seconds. Every body is rendered once per client at
 * start; a request only writes its sequence number into the ids of that body (run and step ids,
 * trace and span ids), so the generator spends its CPU on sockets, not on building JSON.
 *
 * <p>{@code --protocol} picks the encoding of the same agent-shaped data, {@code --runs-per-request}
 * runs (traces) of {@code --steps} steps (spans) each: plan, llm with model, tokens and cost, tool
 * with metadata, retrieval, nested under the first step.
 *
 * <p>{@code --run-ids random} (default) begins every run id (trace id) with 32 bits that look random,
 * as the random trace ids of OpenTelemetry do; {@code --run-ids time} begins them with the request's
 * time in milliseconds instead (its low 32 bits), then the request's number, so that later runs have
 * ids that sort later, as the version 7 UUIDs of Sextant's Java SDK do.
 *
 * <ul>
 *   <li>{@code native} (default): JSON to {@code /v1/ingest} on the API port.
 *   <li>{@code otlp}: OTLP/HTTP protobuf {@code ExportTraceServiceRequest} to {@code /v1/traces},
 *       GenAI attributes; a 200 answer with a non-empty body is a partial success and counts as an
 *       error. The protobuf is encoded by hand so that this file runs with the JDK alone.
 *   <li>{@code zipkin}: Zipkin v2 JSON to {@code /api/v2/spans} (Zipkin's own collector), the same
 *       spans with their attributes as tags; 202 is its acknowledgement.
 * </ul>
 *
 * <p>The report, for the measured window only (after the warm-up): requests and items acknowledged
 * per second; ack latency percentiles; every answer that was not an acknowledgement by status
 * (noting whether 429 and 503 carried {@code Retry-After}) and connection failures; this process's
 * own CPU as a share of one core; with {@code --server-pid}, the server's CPU share and CPU per 1,000
 * items (Linux {@code /proc}); with {@code --stored-metric URL NAME}, how many items the server
 * <em>stored</em> per second over the same window, from the growth of a Prometheus counter (summed
 * over its series) read at the window's start and end: a server that acknowledges before storing
 * shows it here. {@code --stored-scale N} says how many items one unit of that counter stands for
 * (Zipkin, for one: its collector acknowledges a message, then stores its spans in one task on
 * Armeria's blocking executor, so the executor's completed tasks times the spans per request is
 * what it has stored).
 *
 * <pre>
 * java benchmarks/src/main/java/dev/sextant/bench/IngestLoad.java \
 *   --url http://127.0.0.1:8000 --key $KEY --clients 16 --seconds 20 --runs-per-request 10 \
 *   --server-pid $PID --stored-metric http://127.0.0.1:8000/metrics 'sextant_ingest_accepted_items_total{kind="step"}'
 * </pre>
 *
 * <p>A client that is answered {@code 429} or {@code 503} with {@code Retry-After} waits that long before
 * its next request, as OpenTelemetry's exporters and Sextant's SDK do; {@code --ignore-retry-after}
 * makes every client send again at once instead.
 *
 * <p>{@code --url} may list several nodes separated by commas; the clients are spread over them.
 * {@code --runs-per-request}/{@code --traces-per-request} and {@code --steps}/{@code --spans} are the
 * same options under either name.
 */
public final class IngestLoad {
  public static void main(String[] args) throws Exception {
    String protocol = arg(args, "native", "--protocol");
    String[] urls = arg(args, Body.defaultUrl(protocol), "--url").split(",");
    String key = arg(args, System.getenv("SEXTANT_API_KEY"), "--key");
    int clients = Integer.parseInt(arg(args, "16", "--clients"));
    int seconds = Integer.parseInt(arg(args, "20", "--seconds"));
    int warmup = Integer.parseInt(arg(args, "5", "--warmup"));
    int runs = Integer.parseInt(arg(args, "1", "--runs-per-request", "--traces-per-request"));
    int steps = Integer.parseInt(arg(args, "20", "--steps", "--spans"));
    String prefix = arg(args, "load-" + Long.toString(System.currentTimeMillis(), 36), "--prefix");
    String serverPid = arg(args, null, "--server-pid");
    String[] stored = args2(args, "--stored-metric");
    double storedScale = Double.parseDouble(arg(args, "1", "--stored-scale"));
    boolean honourRetryAfter = !Arrays.asList(args).contains("--ignore-retry-after");
    boolean timeRunIds = timeRunIds(arg(args, "random", "--run-ids"));

    // the first reading loads the classes it needs, which takes seconds on a machine the
    // clients already saturate; done here, the readings in the window are taken when they are due
    Sample.take(serverPid, stored, key, false);
    long warmupEnd = System.nanoTime() + warmup * 1_000_000_000L;
    long end = warmupEnd + seconds * 1_000_000_000L;
    Client[] all = new Client[clients];
    for (int c = 0; c < clients; c++) {
      URI uri = URI.create(urls[c % urls.length]);
      Body body = Body.of(protocol, prefix, c, runs, steps, timeRunIds);
      all[c] = new Client(uri, key, body, warmupEnd, end, honourRetryAfter);
      all[c].start();
    }
    sleepUntil(warmupEnd);
    Sample before = Sample.take(serverPid, stored, key, false);
    sleepUntil(end);
    Sample after = Sample.take(serverPid, stored, key, true);
    for (Client c : all) c.join(120_000);

    long requests = 0;
    long items = 0;
    List<long[]> latencies = new ArrayList<>();
    Map<String, Long> refused = new TreeMap<>();
    for (Client c : all) {
      requests += c.acked;
      items += c.acked * (long) runs * steps;
      latencies.add(Arrays.copyOf(c.latencies, c.acked));
      c.refused.forEach((k, v) -> refused.merge(k, v.get(), Long::sum));
    }
    long[] sorted = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    String unit = protocol.equals("native") ? "steps" : "spans";
    System.out.printf("protocol=%s clients=%d %s/request=%d seconds=%d requests=%d refused=%s%n", protocol, clients, unit,
        runs * steps, seconds, requests, refused.isEmpty() ? "none" : refused);
    SAMPLES.forEach((k, v) -> System.out.println("  " + k + ", e.g.: " + v.replace('\n', ' ')));
    double cpuSeconds = (after.cpuAt - before.cpuAt) / 1e9;
    double cpuSelf = (after.selfCpuNanos - before.selfCpuNanos) / 1e9 / cpuSeconds * 100;
    StringBuilder cpu = new StringBuilder(String.format("cpu: load generator %.0f%% of a core", cpuSelf));
    if (serverPid != null) {
      double serverNanos = (after.serverCpuNanos - before.serverCpuNanos);
      cpu.append(String.format(", server %.0f%% of a core, %.1f ms per 1000 %s", serverNanos / 1e9 / cpuSeconds * 100,
          items == 0 ? 0 : serverNanos / 1e6 / (items / 1000.0), unit));
    }
    System.out.println(cpu);
    if (stored != null) {
      double grew = after.stored - before.stored;
      double storedSeconds = (after.storedAt - before.storedAt) / 1e9;
      System.out.printf("stored %s/s=%.0f (%s grew by %.0f%s in %.1f s)%n", unit, grew * storedScale / storedSeconds,
          stored[1], grew, storedScale == 1 ? "" : String.format(", × %.0f", storedScale), storedSeconds);
      long slowest = Math.max(before.scrapeNanos, after.scrapeNanos);
      if (slowest > 1_000_000_000L) {
        System.out.printf("  the counter took up to %.1f s to read: the stored rate is over the time between the middles"
            + " of the two reads%n", slowest / 1e9);
      }
    }
    System.out.printf("%s/s=%.0f  ack latency ms: p50=%.1f p95=%.1f p99=%.1f max=%.1f%n", unit, items / (double) seconds,
        pct(sorted, 0.50), pct(sorted, 0.95), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    System.exit(0);
  }

  /** The first answer body seen for each kind of refusal, shown in the report. */
  static final Map<String, String> SAMPLES = new ConcurrentHashMap<>();

  /** One closed-loop client on its own keep-alive socket. */
  private static final class Client extends Thread {
    private final URI uri;
    private final Body body;
    private final byte[] head;
    private final long warmupEnd;
    private final long end;
    final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    private final boolean honourRetryAfter;
    long[] latencies = new long[1 << 14];
    int acked;

    Client(URI uri, String key, Body body, long warmupEnd, long end, boolean honourRetryAfter) {
      super("client");
      this.honourRetryAfter = honourRetryAfter;
      setDaemon(true);
      this.uri = uri;
      this.body = body;
      this.warmupEnd = warmupEnd;
      this.end = end;
      String h = "POST " + body.path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
          + (key == null ? "" : "Authorization: Bearer " + key + "\r\n")
          + "Content-Type: " + body.contentType + "\r\nContent-Length: " + body.bytes.length + "\r\n\r\n";
      this.head = h.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void run() {
      Http http = null;
      long seq = 0;
      while (true) {
        long t0 = System.nanoTime();
        if (t0 >= end) break;
        body.patch(++seq, System.currentTimeMillis());
        try {
          if (http == null) http = new Http(uri);
          Http.Answer a = http.post(head, body.bytes);
          long t1 = System.nanoTime();
          if (!a.keepAlive) {
            http.close();
            http = null;
          }
          if (t1 < warmupEnd || t1 > end) continue;
          if (body.acknowledged(a)) {
            if (acked == latencies.length) latencies = Arrays.copyOf(latencies, acked * 2);
            latencies[acked++] = t1 - t0;
          } else {
            String k = String.valueOf(a.status);
            if (a.status == 429 || a.status == 503) k += a.retryAfter() ? " with Retry-After" : " without Retry-After";
            if (a.status == 200) k += " with a non-empty body";
            refused.computeIfAbsent(k, x -> new AtomicLong()).incrementAndGet();
            if (a.text() != null) SAMPLES.putIfAbsent(k, a.text());
          }
          // as exporters do: wait what the server asked for (no more than the window's end)
          if (a.retryAfter() && honourRetryAfter) sleepUntil(Math.min(end, t1 + a.retryAfterSeconds() * 1_000_000_000L));
        } catch (IOException e) {
          if (http != null) http.close();
          http = null;
          long t1 = System.nanoTime();
          if (t1 >= warmupEnd && t1 <= end) {
            refused.computeIfAbsent("connection " + e.getClass().getSimpleName(), x -> new AtomicLong()).incrementAndGet();
          }
          sleepUntil(System.nanoTime() + 50_000_000L);
        }
      }
      if (http != null) http.close();
    }
  }

  /** Just enough HTTP/1.1 over a plain socket: one request at a time, the answer read in full. */
  private static final class Http {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] line = new byte[8192];
    private byte[] answer = new byte[4096];

    /** @param text the start of the body of an answer that is not 2xx, else null */
    record Answer(int status, int retryAfterSeconds, boolean keepAlive, int length, String text) {
      boolean retryAfter() {
        return retryAfterSeconds >= 0;
      }
    }

    Http(URI uri) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
      socket.setSoTimeout(120_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16384);
    }

    Answer post(byte[] head, byte[] body) throws IOException {
      try {
        out.write(head);
        out.write(body);
        out.flush();
      } catch (IOException e) {
        // a server may answer early (429 before reading a large body) and close: read that answer
        try {
          Answer early = read();
          return new Answer(early.status(), early.retryAfterSeconds(), false, early.length(), early.text());
        } catch (IOException none) {
          throw e;
        }
      }
      return read();
    }

    private Answer read() throws IOException {
      String status = readLine();
      if (status == null || !status.startsWith("HTTP/1.1 ")) throw new IOException("no HTTP answer: " + status);
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      int retryAfter = -1;
      boolean keepAlive = true;
      for (String h; (h = readLine()) != null && !h.isEmpty(); ) {
        int colon = h.indexOf(':');
        if (colon < 0) continue;
        String name = h.substring(0, colon).trim().toLowerCase();
        String value = h.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase().contains("chunked");
          case "retry-after" -> retryAfter = value.chars().allMatch(Character::isDigit) && !value.isEmpty()
              ? Integer.parseInt(value) : 0;
          case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
          default -> { }
        }
      }
      int read = 0;
      String text = null;
      if (chunked) {
        for (long size; (size = Long.parseLong(readLine().split(";")[0].trim(), 16)) > 0; ) {
          read += skip(size);
          readLine();
        }
        while (!readLine().isEmpty()) { }
      } else if (length >= 0) {
        read = skip(length);
        if (code >= 300) {
          text = new String(answer, 0, (int) Math.min(read, Math.min(answer.length, 300)), StandardCharsets.UTF_8);
        }
      } else {
        keepAlive = false;
      }
      return new Answer(code, retryAfter, keepAlive, read, text);
    }

    /**
     * A whole answer as text, read to its {@code Content-Length} when it has one: a server asked to
     * close the connection may take seconds to do so after the answer.
     */
    String readText() throws IOException {
      StringBuilder head = new StringBuilder();
      long length = -1;
      for (String h; (h = readLine()) != null && !h.isEmpty(); ) {
        head.append(h).append('\n');
        if (h.regionMatches(true, 0, "content-length:", 0, 15)) length = Long.parseLong(h.substring(15).trim());
      }
      byte[] body = length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
      return head + "\n" + new String(body, StandardCharsets.UTF_8);
    }

    private int skip(long n) throws IOException {
      if (answer.length < n && n < 1 << 20) answer = new byte[(int) n];
      long left = n;
      while (left > 0) {
        int r = in.read(answer, 0, (int) Math.min(left, answer.length));
        if (r < 0) throw new IOException("connection closed in the answer's body");
        left -= r;
      }
      return (int) n;
    }

    private String readLine() throws IOException {
      int n = 0;
      for (int b; (b = in.read()) >= 0; ) {
        if (b == '\n') return new String(line, 0, n > 0 && line[n - 1] == '\r' ? n - 1 : n, StandardCharsets.ISO_8859_1);
        if (n < line.length) line[n++] = (byte) b;
      }
      if (n == 0) throw new IOException("connection closed");
      return new String(line, 0, n, StandardCharsets.ISO_8859_1);
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a broken connection
      }
    }
  }

  /** Whether run ids begin with the time ({@code time}) or look random ({@code random}, the default). */
  static boolean timeRunIds(String runIds) {
    if (!runIds.equals("random") && !runIds.equals("time")) {
      throw new IllegalArgumentException("run ids are random or time, not " + runIds);
    }
    return runIds.equals("time");
  }

  /**
   * A request body rendered once, and the places in it where the sequence number goes: as hex digits
   * in text ids, or as big-endian bytes in binary ones. Every id of the body holds the client's
   * number, the sequence number, the run's index and (for steps) the step's index, so ids never
   * repeat across requests and clients while only the sequence number changes.
   *
   * <p>Run ids (trace ids) begin with a run key: 32 bits that look random, a bijection of the
   * client, the sequence number and the run's index, so that runs arrive in no order of their ids,
   * as the random UUIDs of Sextant's SDK and the random trace ids of OpenTelemetry's do. An id that
   * grew with the sequence number would place every new run at a few ends of the store's id-ordered
   * indexes, which real agents do not.
   *
   * <p>Times are placeholders too, holding their offset from the request's start: each request is
   * sent with the current time, as an agent's would be, so runs are spread over time in the store
   * and its time indexes grow at one end instead of ordering thousands of identical times by id.
   */
  abstract static class Body {
    final String path;
    final String contentType;
    byte[] bytes;
    private int[] hexAt = new int[0];
    private int[] binaryAt = new int[0];
    private RunKey[] runKeys = new RunKey[0];
    /** The runs in the body: one more than the highest run index of its run keys. */
    private int runSlots;
    /** The client that sends this body, one of the run key's inputs. */
    private int client;
    /** Run keys from the request's time instead of a mix of client, sequence number and run. */
    boolean timeKeys;
    private Time[] times = new Time[0];
    /** The distinct offsets of the ISO times, each formatted once per request into {@link #isoBytes}. */
    private long[] isoOffsets = new long[0];
    private byte[][] isoBytes = new byte[0][];

    /**
     * A time placeholder at {@code at}: ISO text ({@code 'T'}, {@code offset} in ms, its index in
     * {@link #isoOffsets} in {@code iso}), microseconds as digits ({@code 'Z'}, µs) or nanoseconds
     * as fixed64 ({@code 'N'}, ms).
     */
    private record Time(int at, char kind, long offset, int iso) {}

    /** A run key's placeholder at {@code at}, as eight hex digits or four bytes, of run {@code run}. */
    private record RunKey(int at, boolean text, int run) {}

    Body(String path, String contentType) {
      this.path = path;
      this.contentType = contentType;
    }

    static String defaultUrl(String protocol) {
      return switch (protocol) {
        case "otlp" -> "http://127.0.0.1:4318";
        case "zipkin" -> "http://127.0.0.1:9411";
        default -> "http://127.0.0.1:8000";
      };
    }

    static Body of(String protocol, String prefix, int client, int runs, int steps, boolean timeKeys) {
      Body b = switch (protocol) {
        case "native" -> new NativeJson(prefix);
        case "otlp" -> new OtlpProtobuf();
        case "zipkin" -> new ZipkinJson();
        default -> throw new IllegalArgumentException("--protocol is native, otlp or zipkin, not " + protocol);
      };
      b.client = client;
      b.timeKeys = timeKeys;
      b.render(client, runs, steps);
      return b;
    }

    /** Renders the body, leaving {@link #SEQ_HEX} or {@link #SEQ_BYTES} where the sequence number goes. */
    abstract void render(int client, int runs, int steps);

    boolean acknowledged(Http.Answer a) {
      return a.status() == 200;
    }

    /** Eight hex digits of sequence number in text ids. */
    static final String SEQ_HEX = "~~~~~~~~";
    /** Four bytes of sequence number in binary ids. */
    static final byte[] SEQ_BYTES = {(byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCE};

    /** Finds the placeholders in the rendered body. */
    void mark() {
      List<Integer> hex = new ArrayList<>();
      List<Integer> bin = new ArrayList<>();
      List<RunKey> keys = new ArrayList<>();
      List<Time> found = new ArrayList<>();
      List<Long> isos = new ArrayList<>();
      for (int i = 0; i + 4 <= bytes.length; i++) {
        if (i + 8 <= bytes.length && bytes[i] == '~' && startsWith(i, SEQ_HEX.getBytes(StandardCharsets.US_ASCII))) {
          hex.add(i);
          i += 7;
        } else if (startsWith(i, SEQ_BYTES)) {
          bin.add(i);
          i += 3;
        } else if (i + 8 <= bytes.length && bytes[i] == '~' && bytes[i + 1] == 'R') {
          keys.add(new RunKey(i, true, Integer.parseInt(new String(bytes, i + 2, 6, StandardCharsets.US_ASCII))));
          i += 7;
        } else if (startsWith(i, RUN_KEY_BYTES)) {
          keys.add(new RunKey(i, false, (bytes[i + 2] & 0xFF) << 8 | bytes[i + 3] & 0xFF));
          i += 3;
        } else if (bytes[i] == '~' && (bytes[i + 1] == 'T' || bytes[i + 1] == 'Z')) {
          char kind = (char) bytes[i + 1];
          int width = kind == 'T' ? ISO_WIDTH : MICROS_WIDTH;
          long offset = Long.parseLong(new String(bytes, i + 2, width - 2, StandardCharsets.US_ASCII));
          if (kind == 'T' && !isos.contains(offset)) isos.add(offset);
          found.add(new Time(i, kind, offset, kind == 'T' ? isos.indexOf(offset) : -1));
          i += width - 1;
        } else if (i + 8 <= bytes.length && startsWith(i, TIME_BYTES)) {
          long offset = 0;
          for (int j = 4; j < 8; j++) offset = offset << 8 | (bytes[i + j] & 0xFF);
          found.add(new Time(i, 'N', offset, -1));
          i += 7;
        }
      }
      hexAt = hex.stream().mapToInt(Integer::intValue).toArray();
      binaryAt = bin.stream().mapToInt(Integer::intValue).toArray();
      times = found.toArray(Time[]::new);
      isoOffsets = isos.stream().mapToLong(Long::longValue).toArray();
      isoBytes = new byte[isoOffsets.length][];
      runKeys = keys.toArray(RunKey[]::new);
      runSlots = keys.stream().mapToInt(k -> k.run() + 1).max().orElse(0);
      int[] uses = new int[runSlots];
      for (RunKey k : runKeys) uses[k.run()]++;
      // a stray match of a placeholder in other bytes would show as a run whose key appears more often
      for (int u : uses) {
        if (u != uses[0]) {
          throw new IllegalStateException("run keys found unevenly in the body: " + Arrays.toString(uses));
        }
      }
      if (hexAt.length + binaryAt.length + runKeys.length == 0) {
        throw new IllegalStateException("no ids to patch in the body");
      }
    }

    /** The first two bytes of a binary run key's placeholder; the other two hold its run's index. */
    static final byte[] RUN_KEY_BYTES = {(byte) 0xC0, (byte) 0xDE};

    /** The placeholder of run {@code run}'s key in text: eight characters, like the key's hex digits. */
    static String runKeyHex(int run) {
      return String.format("~R%06d", run);
    }

    /** The placeholder of run {@code run}'s key in bytes: four bytes, like the key. */
    static byte[] runKeyBytes(int run) {
      return new byte[] {RUN_KEY_BYTES[0], RUN_KEY_BYTES[1], (byte) (run >> 8), (byte) run};
    }

    /**
     * The run key of the {@code run}-th run of {@code client}'s request {@code seq}: a bijection of
     * 32 bits (odd multipliers and xor-shifts), so keys of distinct (seq, run, client) differ, in
     * no order, also between clients that send the same sequence numbers at the same time (for a
     * client's first 2^32 / (runs × 256) requests, 3.3 million at 5 runs per request).
     */
    static int runKey(long seq, int run, int runs, int client) {
      int x = (int) ((seq * runs + run) * 256 + (client & 0xFF));
      x *= 0x9E3779B1;
      x ^= x >>> 15;
      x *= 0x85EBCA6B;
      x ^= x >>> 13;
      return x;
    }

    /** Characters of an ISO time with milliseconds, {@code 2026-12-04T06:40:12.345Z}. */
    static final int ISO_WIDTH = 24;
    /** Digits of a time in microseconds since the epoch (until the year 2286). */
    static final int MICROS_WIDTH = 16;
    /** The first four bytes of a binary time's placeholder; the other four hold its offset in milliseconds. */
    static final byte[] TIME_BYTES = {(byte) 0xBA, (byte) 0xDC, (byte) 0x0F, (byte) 0xFE};
    private static final java.time.format.DateTimeFormatter ISO_MILLIS =
        java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /** The placeholder of an ISO time {@code offsetMillis} after the request's start. */
    static String isoAt(long offsetMillis) {
      return "~T" + String.format("%0" + (ISO_WIDTH - 2) + "d", offsetMillis);
    }

    /** The placeholder of a time in microseconds, {@code offsetMicros} after the request's start. */
    static String microsAt(long offsetMicros) {
      return "~Z" + String.format("%0" + (MICROS_WIDTH - 2) + "d", offsetMicros);
    }

    /** The placeholder of a time in nanoseconds (fixed64), {@code offsetMillis} after the request's start. */
    static long nanosAt(long offsetMillis) {
      // fixed64 is little-endian: the value whose bytes are TIME_BYTES, then the offset's big-endian bytes
      long placeholder = 0;
      for (int j = 0; j < 4; j++) placeholder |= (TIME_BYTES[j] & 0xFFL) << (8 * j);
      for (int j = 0; j < 4; j++) placeholder |= ((offsetMillis >>> (8 * (3 - j))) & 0xFFL) << (8 * (4 + j));
      return placeholder;
    }

    private boolean startsWith(int at, byte[] what) {
      for (int j = 0; j < what.length; j++) if (bytes[at + j] != what[j]) return false;
      return true;
    }

    /** Writes {@code value} at {@code at} as eight lower-case hex digits. */
    private void putHex(int at, int value) {
      for (int j = 7; j >= 0; j--) bytes[at + 7 - j] = (byte) Character.forDigit((value >>> (4 * j)) & 0xF, 16);
    }

    /** Writes {@code value} at {@code at} as four big-endian bytes. */
    private void putBytes(int at, int value) {
      for (int j = 0; j < 4; j++) bytes[at + j] = (byte) (value >>> (8 * (3 - j)));
    }

    /** Writes {@code seq} into every id of the body, and times from {@code nowMillis} into its times. */
    void patch(long seq, long nowMillis) {
      for (int at : hexAt) putHex(at, (int) seq);
      for (int at : binaryAt) putBytes(at, (int) seq);
      for (RunKey k : runKeys) {
        int key = timeKeys ? (int) nowMillis : runKey(seq, k.run(), runSlots, client);
        if (k.text()) putHex(k.at(), key);
        else putBytes(k.at(), key);
      }
      for (int k = 0; k < isoOffsets.length; k++) {
        isoBytes[k] = ISO_MILLIS.format(java.time.Instant.ofEpochMilli(nowMillis + isoOffsets[k]))
            .getBytes(StandardCharsets.US_ASCII);
      }
      for (Time t : times) {
        switch (t.kind()) {
          case 'T' -> System.arraycopy(isoBytes[t.iso()], 0, bytes, t.at(), ISO_WIDTH);
          case 'Z' -> {
            long micros = nowMillis * 1000 + t.offset();
            for (int j = MICROS_WIDTH - 1; j >= 0; j--, micros /= 10) bytes[t.at() + j] = (byte) ('0' + micros % 10);
          }
          default -> {
            long nanos = (nowMillis + t.offset()) * 1_000_000L;
            for (int j = 0; j < 8; j++) bytes[t.at() + j] = (byte) (nanos >>> (8 * j));
          }
        }
      }
    }

    static final String[] TYPES = {"plan", "llm", "tool", "retrieval", "llm"};

    /** Eight random bytes of this invocation, so that a second invocation sends new trace ids. */
    static final byte[] INVOCATION = new byte[8];

    static {
      new java.security.SecureRandom().nextBytes(INVOCATION);
      for (int i = 0; i < 8; i++) {
        if (INVOCATION[i] == SEQ_BYTES[0] || INVOCATION[i] == RUN_KEY_BYTES[0]) INVOCATION[i] = 0;
      }
    }

    /**
     * A trace id of 16 bytes: the run key's placeholder, client, run index, this invocation; with
     * {@code timeKeys}, whose key says nothing of the request, the sequence number's placeholder
     * replaces the first half of the invocation's bytes.
     */
    static byte[] traceId(int client, int run, boolean timeKeys) {
      byte[] id = new byte[16];
      System.arraycopy(runKeyBytes(run), 0, id, 0, 4);
      id[4] = (byte) client;
      id[5] = (byte) 0x5e;
      id[6] = (byte) (run >> 8);
      id[7] = (byte) run;
      System.arraycopy(INVOCATION, 0, id, 8, 8);
      if (timeKeys) System.arraycopy(SEQ_BYTES, 0, id, 8, 4);
      return id;
    }

    /** A span id of 8 bytes, unique across clients and requests too: client, sequence, run, step. */
    static byte[] spanId(int client, int run, int step) {
      byte[] id = new byte[8];
      id[0] = (byte) client;
      System.arraycopy(SEQ_BYTES, 0, id, 1, 4);
      id[5] = (byte) run;
      id[6] = (byte) (step >> 8);
      id[7] = (byte) step;
      return id;
    }

    /** Hex text of an id, its placeholder bytes becoming {@link #SEQ_HEX} and {@link #runKeyHex}. */
    static String hex(byte[] id) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < id.length; i++) {
        if (i + 4 <= id.length && id[i] == RUN_KEY_BYTES[0] && id[i + 1] == RUN_KEY_BYTES[1]) {
          s.append(runKeyHex((id[i + 2] & 0xFF) << 8 | id[i + 3] & 0xFF));
          i += 3;
        } else if (i + 4 <= id.length && id[i] == SEQ_BYTES[0] && id[i + 1] == SEQ_BYTES[1] && id[i + 2] == SEQ_BYTES[2]
            && id[i + 3] == SEQ_BYTES[3]) {
          s.append(SEQ_HEX);
          i += 3;
        } else {
          s.append(Character.forDigit((id[i] >> 4) & 0xF, 16)).append(Character.forDigit(id[i] & 0xF, 16));
        }
      }
      return s.toString();
    }
  }

  /** Native JSON ingest: {@code {"runs": [...], "steps": [...]}} to {@code /v1/ingest}. */
  static final class NativeJson extends Body {
    private final String prefix;

    NativeJson(String prefix) {
      super("/v1/ingest", "application/json");
      this.prefix = prefix;
    }

    @Override
    void render(int client, int runs, int steps) {
      StringBuilder runsJson = new StringBuilder();
      StringBuilder stepsJson = new StringBuilder();
      for (int r = 0; r < runs; r++) {
        // a key of the time says nothing of the request: the sequence number follows it then
        String runId = prefix + "-" + runKeyHex(r) + (timeKeys ? "-" + SEQ_HEX : "") + "-" + client + "-" + r;
        if (r > 0) runsJson.append(',');
        runsJson.append("{\"run_id\":\"").append(runId).append("\",\"agent_id\":\"load-agent\",\"agent_version\":\"v1\",")
            .append("\"environment\":\"bench\",\"name\":\"handle_ticket\",\"labels\":{\"team\":\"bench\"},\"start_time\":\"")
            .append(isoAt(0)).append("\",\"end_time\":\"").append(isoAt(steps * 10L + 5)).append("\",\"status\":\"success\"}");
        for (int i = 0; i < steps; i++) {
          if (stepsJson.length() > 0) stepsJson.append(',');
          String type = TYPES[i % TYPES.length];
          stepsJson.append("{\"run_id\":\"").append(runId).append("\",\"step_id\":\"").append(runId).append('-').append(i)
              .append("\",\"parent_step_id\":").append(i == 0 ? "null" : "\"" + runId + "-0\"")
              .append(",\"seq\":").append(i + 1).append(",\"type\":\"").append(type).append("\",\"name\":\"").append(type)
              .append('_').append(i).append("\",\"start_time\":\"").append(isoAt(i * 10L)).append("\",\"end_time\":\"")
              .append(isoAt(i * 10L + 8)).append("\",\"status\":\"ok\"");
          if (type.equals("llm")) {
            stepsJson.append(",\"model\":\"gpt-4o-mini\",\"provider\":\"openai\",\"input_tokens\":812,\"output_tokens\":96,")
                .append("\"cost_usd\":0.00018,\"time_to_first_token_ms\":212.5");
          } else if (type.equals("tool")) {
            stepsJson.append(",\"metadata\":{\"tool\":\"billing_api\",\"http_status\":200}");
          }
          stepsJson.append('}');
        }
      }
      bytes = ("{\"runs\":[" + runsJson + "],\"steps\":[" + stepsJson + "]}").getBytes(StandardCharsets.UTF_8);
      mark();
    }
  }

  /**
   * OTLP/HTTP protobuf to {@code /v1/traces}: {@code ExportTraceServiceRequest{resource_spans:
   * [{resource, scope_spans: [{scope, spans}]}]}}, one trace per run.
   */
  static final class OtlpProtobuf extends Body {
    static final String[] OPERATIONS = {"invoke_agent", "chat", "execute_tool", "retrieval", "chat"};

    OtlpProtobuf() {
      super("/v1/traces", "application/x-protobuf");
    }

    @Override
    void render(int client, int traces, int spans) {
      Proto resource = new Proto()
          .message(1, kv("service.name", "load-agent")).message(1, kv("service.version", "v1"))
          .message(1, kv("deployment.environment.name", "bench"));
      Proto scopeSpans = new Proto().message(1, new Proto().string(1, "bench").string(2, "1.0.0"));
      for (int t = 0; t < traces; t++) {
        byte[] traceId = traceId(client, t, timeKeys);
        for (int i = 0; i < spans; i++) {
          String op = OPERATIONS[i % OPERATIONS.length];
          Proto span = new Proto().bytes(1, traceId).bytes(2, spanId(client, t, i));
          if (i > 0) span.bytes(4, spanId(client, t, 0));
          span.string(5, op + "_" + i).varint(6, op.equals("chat") ? 3 : 1)
              .fixed64(7, nanosAt(i * 10L)).fixed64(8, nanosAt(i == 0 ? spans * 10L + 5 : i * 10L + 8))
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
      bytes = new Proto().message(1, new Proto().message(1, resource).message(2, scopeSpans)).toByteArray();
      mark();
    }

    /** A non-empty 200 body is a partial success: some spans were rejected. */
    @Override
    boolean acknowledged(Http.Answer a) {
      return a.status() == 200 && a.length() == 0;
    }

    private static Proto kv(String key, Object value) {
      Proto any = new Proto();
      if (value instanceof String s) any.string(1, s);
      else if (value instanceof Long l) any.varint(3, l);
      else if (value instanceof Double d) any.fixed64(4, Double.doubleToLongBits(d));
      return new Proto().string(1, key).message(2, any);
    }
  }

  /** Zipkin v2 JSON to {@code /api/v2/spans}: the OTLP spans' data, attributes as tags. */
  static final class ZipkinJson extends Body {
    ZipkinJson() {
      super("/api/v2/spans", "application/json");
    }

    @Override
    void render(int client, int traces, int spans) {
      StringBuilder json = new StringBuilder("[");
      for (int t = 0; t < traces; t++) {
        String traceId = hex(traceId(client, t, timeKeys));
        for (int i = 0; i < spans; i++) {
          String op = OtlpProtobuf.OPERATIONS[i % OtlpProtobuf.OPERATIONS.length];
          if (json.length() > 1) json.append(',');
          json.append("{\"traceId\":\"").append(traceId).append("\",\"id\":\"").append(hex(spanId(client, t, i)))
              .append('"');
          if (i > 0) json.append(",\"parentId\":\"").append(hex(spanId(client, t, 0))).append('"');
          json.append(",\"name\":\"").append(op).append('_').append(i).append("\",\"kind\":\"")
              .append(op.equals("chat") ? "CLIENT" : "SERVER").append("\",\"timestamp\":").append(microsAt(i * 10_000L))
              .append(",\"duration\":").append(i == 0 ? spans * 10_000L + 5_000L : 8_000L)
              .append(",\"localEndpoint\":{\"serviceName\":\"load-agent\"},\"tags\":{\"gen_ai.operation.name\":\"")
              .append(op).append("\",\"service.version\":\"v1\",\"deployment.environment.name\":\"bench\"");
          if (op.equals("chat")) {
            json.append(",\"gen_ai.provider.name\":\"openai\",\"gen_ai.request.model\":\"gpt-4o-mini\",")
                .append("\"gen_ai.usage.input_tokens\":\"812\",\"gen_ai.usage.output_tokens\":\"96\",")
                .append("\"gen_ai.response.time_to_first_chunk\":\"0.2125\"");
          } else if (op.equals("execute_tool")) {
            json.append(",\"gen_ai.tool.name\":\"billing_api\",\"http.response.status_code\":\"200\"");
          }
          json.append("}}");
        }
      }
      bytes = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
      mark();
    }

    @Override
    boolean acknowledged(Http.Answer a) {
      return a.status() == 202 || a.status() == 200;
    }
  }

  /**
   * What is read at the start and at the end of the measured window: CPU times at {@code cpuAt}, and
   * the stored counter, whose reading is placed in the middle of its scrape ({@code storedAt}), since
   * a server under overload can take seconds to answer it.
   */
  private record Sample(long cpuAt, long selfCpuNanos, long serverCpuNanos, long storedAt, long scrapeNanos,
      double stored) {
    /** {@code last}: the end of the window, when the stored counter must exist. */
    static Sample take(String serverPid, String[] storedMetric, String key, boolean last) throws Exception {
      long cpuAt = System.nanoTime();
      long self = processCpuNanos(String.valueOf(ProcessHandle.current().pid()));
      long server = serverPid == null ? 0 : processCpuNanos(serverPid);
      long asked = System.nanoTime();
      double stored = storedMetric == null ? 0 : counter(storedMetric[0], storedMetric[1], key, last);
      long answered = System.nanoTime();
      return new Sample(cpuAt, self, server, asked + (answered - asked) / 2, answered - asked, stored);
    }

    /** utime + stime of a process, from {@code /proc/PID/stat}, at the usual 100 ticks per second. */
    private static long processCpuNanos(String pid) throws IOException {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    /**
     * The sum over the series of a Prometheus counter in a text exposition (sent the API key, if any):
     * {@code name} is a metric name, optionally with the labels a series must have, as in {@code
     * sextant_ingest_accepted_items_total{kind="step"}}. A counter appears at its first increment, so
     * one that is absent counts as 0, unless {@code mustExist} (then the name is probably wrong).
     */
    private static double counter(String url, String name, String key, boolean mustExist) throws IOException {
      URI uri = URI.create(url);
      Http http = new Http(uri);
      try (Socket ignored = http.socket) {
        String get = "GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nConnection: close\r\n"
            + (key == null ? "" : "Authorization: Bearer " + key + "\r\n") + "\r\n";
        http.out.write(get.getBytes(StandardCharsets.US_ASCII));
        http.out.flush();
        String text = http.readText();
        int brace = name.indexOf('{');
        String base = brace < 0 ? name : name.substring(0, brace);
        String[] labels = brace < 0 ? new String[0] : name.substring(brace + 1, name.length() - 1).split(",");
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
          if ((line.startsWith(base + " ") || line.startsWith(base + "{"))
              && Arrays.stream(labels).allMatch(line.substring(0, line.lastIndexOf(' '))::contains)) {
            sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            found = true;
          }
        }
        if (!found && mustExist) {
          throw new IllegalStateException(url + " has no counter " + name + "; it answered: "
              + text.substring(0, Math.min(200, text.length())));
        }
        return sum;
      }
    }
  }

  private static void sleepUntil(long nanoTime) {
    for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
      try {
        Thread.sleep(Math.max(1, left / 1_000_000L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) return 0;
    return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))] / 1e6;
  }

  /** The value of the first of {@code names} given, else {@code fallback}. */
  private static String arg(String[] args, String fallback, String... names) {
    for (String name : names) {
      for (int i = 0; i < args.length - 1; i++) if (args[i].equals(name)) return args[i + 1];
    }
    return fallback;
  }

  /** The two values after {@code name}, or null when it is not given. */
  private static String[] args2(String[] args, String name) {
    for (int i = 0; i < args.length - 2; i++) if (args[i].equals(name)) return new String[] {args[i + 1], args[i + 2]};
    return null;
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
