package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Json;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.sqlite.SqliteStore;
import dev.sextant.testing.ServerProcess;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports 1 M steps from a server process whose heap is capped at 256 MiB, while reading the
 * server's heap use from its own {@code /metrics}: the export is larger than the heap, so it can
 * only succeed by streaming, and the measured peak shows how much it held.
 */
class ITExportLarge {
  private static final String KEY = "sk-export-large-0123456789";
  private static final int RUNS = 1_000;
  private static final int STEPS_PER_RUN = 1_000;
  private static final long NS = 1_700_000_000_000_000_000L;
  private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} (\\S+)$");

  @TempDir Path dataDir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void export_ofOneMillionSteps_keepsTheHeapBounded() throws Exception {
    fill();
    try (ServerProcess server = ServerProcess.start(List.of("--data-dir", dataDir.toString(), "--port", "0",
        "--otlp-http-port", "-1", "--otlp-grpc-port", "-1"), Map.of("SEXTANT_BOOTSTRAP_API_KEY", KEY), dataDir)) {
      String base = "http://127.0.0.1:" + server.awaitPort(60);
      AtomicBoolean done = new AtomicBoolean();
      AtomicLong peakHeap = new AtomicLong();
      Thread sampler = new Thread(() -> {
        while (!done.get()) {
          peakHeap.accumulateAndGet(heapUsed(base), Math::max);
          sleep(200);
        }
      });
      sampler.start();
      long bytes = 0;
      long lines = 0;
      long started = System.nanoTime();
      HttpResponse<InputStream> r = http.send(request(base + "/v1/export"), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      try (InputStream in = r.body()) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          bytes += n;
          for (int i = 0; i < n; i++) if (buf[i] == '\n') lines++;
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      done.set(true);
      sampler.join();
      System.out.printf("export: %d lines, %d MiB in %.1f s; server heap peak %d MiB (max 256 MiB)%n",
          lines, bytes >> 20, seconds, peakHeap.get() >> 20);
      assertThat(lines).isEqualTo(RUNS + (long) RUNS * STEPS_PER_RUN);
      assertThat(bytes).as("the export is larger than the server's whole heap").isGreaterThan(256L << 20);
      assertThat(peakHeap.get()).as("heap samples were taken").isPositive();
      assertThat(peakHeap.get()).isLessThan(200L << 20);
    }
  }

  /** 1 000 runs of 1 000 steps each, written straight into the SQLite file the server then opens. */
  private void fill() {
    try (SqliteStore store = SqliteStore.builder().file(dataDir.resolve("sextant.db")).synchronous("OFF").build()) {
      store.migrate();
      for (int r = 0; r < RUNS; r++) {
        String runId = String.format("run-%04d-%s", r, "x".repeat(20));
        long t0 = NS + r * 10_000_000_000L;
        List<StepRecord> steps = new ArrayList<>(STEPS_PER_RUN);
        for (int s = 0; s < STEPS_PER_RUN; s++) {
          steps.add(StepRecord.builder(runId, runId + "-step-" + s).seq(s + 1).type(s % 2 == 0 ? "llm" : "tool")
              .name(s % 2 == 0 ? "chat_completion" : "search_knowledge_base").startNanos(t0 + s * 1_000_000L)
              .endNanos(t0 + s * 1_000_000L + 900_000L).status(StepStatus.OK).attempt(1)
              .model(s % 2 == 0 ? "gpt-4o-mini" : null).provider(s % 2 == 0 ? "openai" : null).inputTokens(120L)
              .outputTokens(40L).costUsd(0.00012).metadata(Json.object().put("http_status", 200).put("tool", "kb"))
              .build());
        }
        RunRecord run = RunRecord.builder(runId).agentId("support-agent").agentVersion("v1.0.0")
            .environment("production").name("handle_ticket").labels(Map.of("team", "billing")).startNanos(t0)
            .endNanos(t0 + 2_000_000_000L).status(RunStatus.SUCCESS).build();
        store.write(List.of(new WriteBatch("default", List.of(run), steps)));
      }
    }
  }

  private long heapUsed(String base) {
    try {
      String metrics = http.send(request(base + "/metrics"), HttpResponse.BodyHandlers.ofString()).body();
      long sum = 0;
      Matcher m = HEAP.matcher(metrics);
      while (m.find()) sum += (long) Double.parseDouble(m.group(1));
      return sum;
    } catch (Exception e) {
      return 0;
    }
  }

  private static HttpRequest request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY).GET().build();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
