package dev.sextant.forward;

import dev.sextant.model.Text;
import dev.sextant.server.Forwarding;
import dev.sextant.store.WriteBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what projects commit on to other OTLP/HTTP endpoints (a Collector, Jaeger, Tempo, another
 * Sextant) as OTLP/protobuf spans, from one background thread. Ingest only offers a committed batch
 * to a bounded queue and never waits: when the queue is full the batch is dropped and counted, and
 * a failing endpoint is retried with backoff without slowing anything else.
 *
 * <p>Metrics: {@code sextant_forward_queue_batches} (waiting now), {@code
 * sextant_forward_spans_total{project, outcome="sent"|"dropped"|"failed"}}, {@code
 * sextant_forward_retries_total{project}}.
 */
public final class Forwarder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
  /** Batches merged into one request at most. */
  private static final int MAX_MERGE = 64;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private record Item(String projectId, WriteBatch batch) {}

  private final Forwarding config;
  private final BlockingQueue<Item> queue;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final MeterRegistry metrics;
  private final Thread worker;
  private volatile boolean running = true;

  public Forwarder(Forwarding config, MeterRegistry metrics) {
    this.config = config;
    this.metrics = metrics;
    this.queue = new ArrayBlockingQueue<>(config.queueBatches());
    Gauge.builder("sextant_forward_queue_batches", queue, BlockingQueue::size)
        .description("Committed batches waiting to be forwarded").register(metrics);
    this.worker = new Thread(this::loop, "sextant-forward");
    worker.setDaemon(true);
  }

  public Forwarder start() {
    worker.start();
    return this;
  }

  /** Queues a committed batch of {@code projectId} if the project forwards; never blocks. */
  public void offer(String projectId, WriteBatch batch) {
    if (!config.targets().containsKey(projectId) || batch.size() == 0) return;
    if (!queue.offer(new Item(projectId, batch))) spans(projectId, "dropped").increment(batch.size());
  }

  private void loop() {
    List<Item> items = new ArrayList<>();
    while (running) {
      try {
        Item first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        items.clear();
        items.add(first);
        queue.drainTo(items, MAX_MERGE - 1);
        Map<String, List<WriteBatch>> byProject = new LinkedHashMap<>();
        for (Item i : items) byProject.computeIfAbsent(i.projectId(), p -> new ArrayList<>()).add(i.batch());
        for (Map.Entry<String, List<WriteBatch>> e : byProject.entrySet()) send(e.getKey(), merge(e.getKey(), e.getValue()));
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("forwarding failed: {}", e.toString());
      }
    }
  }

  private static WriteBatch merge(String projectId, List<WriteBatch> batches) {
    if (batches.size() == 1) return batches.get(0);
    List<dev.sextant.model.RunRecord> runs = new ArrayList<>();
    List<dev.sextant.model.StepRecord> steps = new ArrayList<>();
    for (WriteBatch b : batches) {
      runs.addAll(b.runs());
      steps.addAll(b.steps());
    }
    return new WriteBatch(projectId, runs, steps);
  }

  private void send(String projectId, WriteBatch batch) throws InterruptedException {
    URI url = config.targets().get(projectId);
    byte[] body = SpanEncoder.encode(projectId, batch).toByteArray();
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    config.headers().forEach(b::header);
    HttpRequest request = b.build();
    Duration backoff = FIRST_BACKOFF;
    String problem = null;
    for (int attempt = 1; attempt <= config.maxAttempts() && running; attempt++) {
      if (attempt > 1) {
        Counter.builder("sextant_forward_retries").tag("project", projectId).register(metrics).increment();
        Thread.sleep(backoff.toMillis());
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
          spans(projectId, "sent").increment(batch.size());
          return;
        }
        problem = "HTTP " + status + " " + abbreviate(r.body());
        if (!(status == 408 || status == 429 || status >= 500)) break;
        backoff = retryAfter(r, backoff);
      } catch (IOException e) {
        problem = e.toString();
      }
    }
    spans(projectId, "failed").increment(batch.size());
    log.warn("forwarding {} records of project {} to {} failed: {}", batch.size(), projectId, url, problem);
  }

  /** The endpoint's Retry-After (seconds, at most the longest backoff), or {@code fallback}. */
  private static Duration retryAfter(HttpResponse<?> r, Duration fallback) {
    return r.headers().firstValue("retry-after").map(v -> {
      try {
        long s = Long.parseLong(v.trim());
        return s <= 0 ? fallback : Duration.ofSeconds(Math.min(s, MAX_BACKOFF.toSeconds()));
      } catch (NumberFormatException e) {
        return fallback;
      }
    }).orElse(fallback);
  }

  private static String abbreviate(String s) {
    return s == null ? "" : Text.marked(s, 200);
  }

  private Counter spans(String projectId, String outcome) {
    return Counter.builder("sextant_forward_spans").description("Records (spans) forwarded, dropped or failed")
        .tag("project", projectId).tag("outcome", outcome).register(metrics);
  }

  /** Stops the worker; what is still queued is not sent. */
  @Override
  public void close() {
    running = false;
    worker.interrupt();
    try {
      worker.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
