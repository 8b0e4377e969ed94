package dev.sextant.sdk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Sends batches to {@code POST {endpoint}/v1/ingest} with {@link HttpClient}. Retries network errors
 * and HTTP 429/502/503/504 with exponential backoff and jitter, honouring {@code Retry-After}; splits a
 * batch the server finds too large (413, or over the server's per-request limits); reports records
 * the server rejected in {@code errors[]}. Everything else fails the batch with a message that says
 * what to fix.
 */
final class HttpExporter implements Exporter {

  static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
  static final int MAX_RUNS_PER_REQUEST = 1_000;
  static final int MAX_STEPS_PER_REQUEST = 10_000;
  static final int GZIP_THRESHOLD = 1_024;
  static final long MAX_RETRY_AFTER_NANOS = Duration.ofSeconds(60).toNanos();
  static final String USER_AGENT = "sextant-java/" + version();

  private static final Pattern ACCEPTED =
      Pattern.compile("\"accepted\"\\s*:\\s*\\{([^}]*)}");
  private static final Pattern RUNS = Pattern.compile("\"runs\"\\s*:\\s*(\\d+)");
  private static final Pattern STEPS = Pattern.compile("\"steps\"\\s*:\\s*(\\d+)");
  private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final URI uri;
  private final String authorization;
  private final Duration requestTimeout;
  private final boolean gzip;
  private final int maxAttempts;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final Sleeper sleeper;
  private final SdkLog log;

  private HttpClient client;
  private ExecutorService executor;

  HttpExporter(URI uri, String apiKey, Duration requestTimeout, boolean gzip, int maxAttempts,
      Duration initialBackoff, Duration maxBackoff, Sleeper sleeper, SdkLog log) {
    this.uri = uri;
    this.authorization = apiKey == null || apiKey.isBlank() ? null : "Bearer " + apiKey.strip();
    this.requestTimeout = requestTimeout;
    this.gzip = gzip;
    this.maxAttempts = Math.max(1, maxAttempts);
    this.initialBackoffNanos = Math.max(1, initialBackoff.toNanos());
    this.maxBackoffNanos = Math.max(initialBackoffNanos, maxBackoff.toNanos());
    this.sleeper = sleeper;
    this.log = log;
  }

  @Override
  public void export(Batch batch) throws Exception {
    exportCounting(batch);
  }

  /** Records the server rejected in {@code errors[]} count as failed. */
  @Override
  public Result exportWithResult(Batch batch) throws Exception {
    int rejected = exportCounting(batch);
    return rejected == 0 ? Result.DELIVERED : new Result(rejected, 0);
  }

  /** Exports the batch; returns how many of its records the server rejected. Throws when it failed whole. */
  int exportCounting(Batch batch) throws Exception {
    if (batch.size() == 0) {
      return 0;
    }
    if (batch.runs().size() > MAX_RUNS_PER_REQUEST || batch.steps().size() > MAX_STEPS_PER_REQUEST) {
      return split(batch);
    }
    byte[] json = BatchEncoder.encode(batch);
    if (json.length > MAX_BODY_BYTES) {
      if (batch.size() > 1) {
        return split(batch);
      }
      throw new ExportException("a single record encodes to " + json.length
          + " bytes, more than the " + MAX_BODY_BYTES + " bytes one request may carry");
    }
    return send(json, batch);
  }

  /** Sends the two halves separately; a failed half counts as rejected as long as the other got through. */
  private int split(Batch batch) throws Exception {
    List<Object> all = new ArrayList<>(batch.size());
    all.addAll(batch.runs());
    all.addAll(batch.steps());
    int middle = all.size() / 2;
    Batch first = batchOf(all.subList(0, middle));
    Batch second = batchOf(all.subList(middle, all.size()));
    Exception firstError = null;
    int rejected = 0;
    try {
      rejected += exportCounting(first);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      firstError = e;
      rejected += first.size();
    }
    try {
      rejected += exportCounting(second);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      if (firstError != null) {
        throw e;
      }
      rejected += second.size();
      log.warn("export-partial", "part of a split batch failed: " + e.getMessage());
    }
    if (firstError != null) {
      log.warn("export-partial", "part of a split batch failed: " + firstError.getMessage());
    }
    return rejected;
  }

  private static Batch batchOf(List<Object> records) {
    List<RunData> runs = new ArrayList<>();
    List<StepData> steps = new ArrayList<>();
    for (Object record : records) {
      if (record instanceof RunData run) {
        runs.add(run);
      } else {
        steps.add((StepData) record);
      }
    }
    return new Batch(runs, steps);
  }

  private int send(byte[] json, Batch batch) throws Exception {
    boolean compress = gzip && json.length >= GZIP_THRESHOLD;
    byte[] body = compress ? gzip(json) : json;
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
        .timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", USER_AGENT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (compress) {
      builder.header("Content-Encoding", "gzip");
    }
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    HttpRequest request = builder.build();
    for (int attempt = 1; ; attempt++) {
      long retryAfterNanos = -1;
      String problem;
      try {
        HttpResponse<byte[]> response = client().send(request, HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        String text = response.body() == null ? "" : new String(response.body(), StandardCharsets.UTF_8);
        if (status >= 200 && status < 300) {
          return rejectedCount(text, batch.size());
        }
        if (status == 413) {
          if (batch.size() > 1) {
            return split(batch);
          }
          throw new ExportException("the Sextant server at " + uri + " refused one record as too large (HTTP 413)"
              + serverMessage(text));
        }
        if (status == 401 || status == 403) {
          throw new ExportException("the Sextant server at " + uri + " refused the API key (HTTP " + status
              + "): set SEXTANT_API_KEY or Sextant.builder().apiKey(...) to a key with the ingest scope"
              + serverMessage(text));
        }
        if (status != 429 && status != 502 && status != 503 && status != 504) {
          throw new ExportException("the Sextant server at " + uri + " answered HTTP " + status + serverMessage(text));
        }
        retryAfterNanos = retryAfter(response);
        problem = "HTTP " + status;
      } catch (IOException e) {
        problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
      if (attempt >= maxAttempts) {
        throw new ExportException("gave up sending to " + uri + " after " + attempt + " attempts; last: " + problem);
      }
      sleeper.sleep(retryAfterNanos >= 0 ? Math.min(retryAfterNanos, MAX_RETRY_AFTER_NANOS) : backoff(attempt));
    }
  }

  /** Exponential backoff with equal jitter: a random wait in [base/2, base]. */
  long backoff(int attempt) {
    long base = initialBackoffNanos << Math.min(attempt - 1, 30);
    if (base <= 0 || base > maxBackoffNanos) {
      base = maxBackoffNanos;
    }
    long half = base / 2;
    return half + ThreadLocalRandom.current().nextLong(base - half + 1);
  }

  /** {@code Retry-After} in seconds or as an HTTP date; {@code -1} when absent or unreadable. */
  static long retryAfter(HttpResponse<?> response) {
    String value = response.headers().firstValue("Retry-After").orElse(null);
    if (value == null || value.isBlank()) {
      return -1;
    }
    value = value.strip();
    try {
      double seconds = Double.parseDouble(value);
      return seconds < 0 || !Double.isFinite(seconds) ? -1 : (long) (seconds * 1e9);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        long millis = when.toInstant().toEpochMilli() - System.currentTimeMillis();
        return Math.max(0, millis) * 1_000_000L;
      } catch (RuntimeException notDate) {
        return -1;
      }
    }
  }

  private int rejectedCount(String body, int size) {
    Matcher accepted = ACCEPTED.matcher(body);
    if (!accepted.find()) {
      log.warn("unexpected-response", "the Sextant server at " + uri
          + " answered 2xx without an 'accepted' count; counting the batch as exported");
      return 0;
    }
    long count = number(RUNS, accepted.group(1)) + number(STEPS, accepted.group(1));
    int rejected = (int) Math.max(0, size - count);
    if (rejected > 0) {
      log.warn("rejected", "the Sextant server rejected " + rejected + " of " + size + " records"
          + serverMessage(body.substring(accepted.end())));
    }
    return rejected;
  }

  private static long number(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return 0;
    }
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE / 4;
    }
  }

  private static String serverMessage(String body) {
    Matcher m = MESSAGE.matcher(body);
    if (m.find()) {
      String text = m.group(1).replace("\\\"", "\"").replace('\n', ' ');
      return "; server says: " + (text.length() <= 300 ? text : text.substring(0, 300) + "...");
    }
    return "";
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private synchronized HttpClient client() {
    if (client == null) {
      AtomicInteger count = new AtomicInteger();
      executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sextant-http-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      client = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(requestTimeout.compareTo(Duration.ofSeconds(5)) < 0 ? requestTimeout : Duration.ofSeconds(5))
          .executor(executor)
          .build();
    }
    return client;
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
    client = null;
  }

  private static String version() {
    String v = HttpExporter.class.getPackage() == null ? null : HttpExporter.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
