package dev.sextant.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More load than the server can commit, into a real server process started with the launcher's
 * JVM options ({@code ./sextant}): many clients sending small requests, then many sending
 * 10,000-step requests, each client waiting what {@code Retry-After} asks, as exporters do. Every
 * answer is {@code 200}, or {@code 429}/{@code 503} with {@code Retry-After} (never a 500, a 408 or
 * a broken connection); an acknowledgement takes seconds, not a minute; the server's memory stays
 * bounded; and exactly the acknowledged runs are stored. {@code sextant.overload.seconds} (default
 * 15) is each phase's length; docs/reliability.md records a run of 60 s.
 */
class ITOverload {
  private static final String KEY = "sk-overload-test-0123456789";
  private static final Pattern LAUNCHER_OPTS = Pattern.compile("(?m)^default_java_opts=\"([^\"]*)\"");
  private static final int SECONDS = Integer.getInteger("sextant.overload.seconds", 15);
  private static final int STEPS = 20;
  /** The server's resident memory may not pass this, whatever the load. */
  private static final long RSS_BOUND_BYTES = 800L << 20;
  /** The longest an acknowledgement may take. */
  private static final Duration ACK_BOUND = Duration.ofSeconds(30);

  @TempDir Path dataDir;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void moreLoadThanTheWriterTakes_getsOnlyRetryableAnswers_andKeepsEveryAcknowledgedRun() throws Exception {
    ServerProcess server = ServerProcess.start(dataDir, KEY, launcherJavaOptions());
    try {
      int port = server.port();
      RssWatch rss = new RssWatch(server.process().pid());
      rss.start();
      Phase small = new Phase("small", port, 64, 1).run();
      Phase large = new Phase("large", port, 16, 500).run();
      rss.interrupt();
      rss.join();
      System.out.printf("overload: peak RSS %d MB%n", rss.peak.get() >> 20);

      for (Phase p : List.of(small, large)) {
        assertThat(p.broken.get()).as("%s: broken connections or timeouts (%s)", p.name, p.firstError).isZero();
        assertThat(p.answers.keySet()).as("%s: answers", p.name).allMatch(a -> a.equals("200")
            || a.equals("429 with Retry-After") || a.equals("503 with Retry-After"));
        assertThat(p.acks).as("%s: acknowledgements", p.name).isNotEmpty();
        assertThat(p.acks[p.acks.length - 1]).as("%s: slowest acknowledgement, ns", p.name)
            .isLessThan(ACK_BOUND.toNanos());
      }
      assertThat(large.answers).as("the large requests were more than the server holds at once")
          .containsKey("429 with Retry-After");
      assertThat(rss.peak.get()).as("peak RSS, bytes").isLessThan(RSS_BOUND_BYTES);
      assertThat(server.errors()).as("errors the server logged").isEmpty();

      // a refused request is refused whole: the store holds exactly the acknowledged runs, each whole
      long ackedRuns = small.acks.length + (long) large.acks.length * large.runsPerRequest;
      JsonNode stats = Json.read(http.send(get(port, "/v1/stats"), HttpResponse.BodyHandlers.ofString()).body());
      long steps = 0;
      for (JsonNode t : stats.path("by_step_type")) steps += t.path("count").asLong();
      assertThat(stats.at("/runs/total").asLong()).as("stored runs").isEqualTo(ackedRuns);
      assertThat(steps).as("stored steps").isEqualTo(ackedRuns * STEPS);
      for (String runId : List.of(small.lastAcked, large.lastAcked + "-0", large.lastAcked + "-499")) {
        JsonNode run = Json.read(http.send(get(port, "/v1/runs/" + runId), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(run.at("/run/step_count").asInt()).as("steps of %s", runId).isEqualTo(STEPS);
      }
    } finally {
      server.stop();
    }
  }

  /** {@code clients} closed-loop clients sending {@code runsPerRequest} runs per request for {@link #SECONDS}. */
  private final class Phase {
    final String name;
    final int port;
    final int clients;
    final int runsPerRequest;
    final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    final AtomicLong broken = new AtomicLong();
    private final List<Long> ackNanos = Collections.synchronizedList(new ArrayList<>());
    /** How long each acknowledged request took, in ns, sorted; set when the phase has run. */
    long[] acks;
    final AtomicInteger sequence = new AtomicInteger();
    volatile String firstError;
    volatile String lastAcked;

    Phase(String name, int port, int clients, int runsPerRequest) {
      this.name = name;
      this.port = port;
      this.clients = clients;
      this.runsPerRequest = runsPerRequest;
    }

    Phase run() throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Thread t = new Thread(() -> client(end), "overload-" + name);
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) t.join();
      acks = ackNanos.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("overload, %s: %d clients x %d runs of %d steps for %d s: %d acknowledged (%.0f steps/s),"
              + " answers %s, ack ms p50 %.0f p99 %.0f max %.0f%n", name, clients, runsPerRequest, STEPS, SECONDS,
          acks.length, acks.length * runsPerRequest * STEPS / (double) SECONDS, new TreeMap<>(answers),
          at(acks, 0.5), at(acks, 0.99), at(acks, 1));
      return this;
    }

    private void client(long end) {
      while (System.nanoTime() < end) {
        String prefix = "ov-" + name + "-" + sequence.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/ingest"))
            .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(120))
            .POST(HttpRequest.BodyPublishers.ofString(LoadBodies.runs(prefix, runsPerRequest, STEPS))).build();
        long t0 = System.nanoTime();
        try {
          HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
          long took = System.nanoTime() - t0;
          String retryAfter = r.headers().firstValue("Retry-After").orElse(null);
          String answer = r.statusCode() + (retryAfter == null ? "" : " with Retry-After");
          answers.computeIfAbsent(answer, k -> new AtomicLong()).incrementAndGet();
          if (r.statusCode() == 200) {
            lastAcked = prefix;
            ackNanos.add(took);
          } else if (retryAfter != null) {
            Thread.sleep(TimeUnit.SECONDS.toMillis(Long.parseLong(retryAfter)));
          } else if (firstError == null) {
            firstError = r.statusCode() + " " + r.body();
          }
        } catch (IOException e) {
          broken.incrementAndGet();
          if (firstError == null) firstError = e.toString();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static double at(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
  }

  /** The peak resident memory of a process, read from {@code /proc} every 100 ms. */
  private static final class RssWatch extends Thread {
    final long pid;
    final AtomicLong peak = new AtomicLong();

    RssWatch(long pid) {
      this.pid = pid;
      setDaemon(true);
    }

    @Override
    public void run() {
      Path status = Path.of("/proc", Long.toString(pid), "status");
      while (!isInterrupted()) {
        try {
          for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
              peak.accumulateAndGet(Long.parseLong(line.replaceAll("\\D", "")) * 1024, Math::max);
            }
          }
          Thread.sleep(100);
        } catch (IOException e) {
          return;
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private HttpRequest get(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + KEY).GET().build();
  }

  /** The JVM options {@code ./sextant} starts the server with. */
  private static List<String> launcherJavaOptions() throws IOException {
    String script = Files.readString(Path.of("..", "sextant"));
    Matcher m = LAUNCHER_OPTS.matcher(script);
    if (!m.find()) throw new IllegalStateException("../sextant sets no default_java_opts");
    return Arrays.stream(m.group(1).trim().split("\\s+")).toList();
  }
}
