package dev.sextant.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.sdk.internal.Detectors;
import dev.sextant.testing.PrivacyCorpus;
import dev.sextant.testing.PrivacyCorpus.Seed;
import dev.sextant.testing.TestServer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeds every kind of personal data and secret into every field of each ingest path, then searches
 * what the store keeps and what the server logged (at DEBUG): nothing may be found under
 * {@code metadata-only} or {@code redacted}. The same search under {@code full} must find the
 * values, which shows that the search itself works. Each backend runs this suite.
 */
abstract class PrivacyAtRest {

  /** A new server on an empty store. */
  protected abstract TestServer start();

  /** Everything the server's store keeps, as text: files for SQLite, table contents for PostgreSQL. */
  protected abstract String atRest(TestServer server);

  /** What is at rest after the server stopped (SQLite: the files after the WAL's checkpoint). */
  protected abstract String afterStop(TestServer server);

  @Test
  void nativeIngest() {
    probe(IngestPath.NATIVE);
  }

  @Test
  void otlpProtobuf() {
    probe(IngestPath.OTLP_PROTOBUF);
  }

  @Test
  void otlpJson() {
    probe(IngestPath.OTLP_JSON);
  }

  @Test
  void langfuseOtel() {
    probe(IngestPath.LANGFUSE_OTEL);
  }

  @Test
  void langSmithBatch() {
    probe(IngestPath.LANGSMITH_BATCH);
  }

  @Test
  void langSmithMultipart() {
    probe(IngestPath.LANGSMITH_MULTIPART);
  }

  @Test
  void langSmithSingle() {
    probe(IngestPath.LANGSMITH_SINGLE);
  }

  @Test
  void langfuseIngestion() {
    probe(IngestPath.LANGFUSE_INGESTION);
  }

  private void probe(IngestPath path) {
    for (String policy : List.of("metadata-only", "redacted")) {
      List<String> found = seedAndSearch(path, policy);
      assertThat(found).as("%s under %s: values found at rest or in the log", path, policy).isEmpty();
    }
    List<String> control = seedAndSearch(path, "full");
    assertThat(control).as("%s under full keeps what was sent, so the search finds it", path)
        .contains("jane.doe+agent@example.com", PrivacyCorpus.SECRET_UNDER_KEY);
  }

  /** The needles found, each with where it was found. */
  private List<String> seedAndSearch(IngestPath path, String policy) {
    Set<String> needles = new LinkedHashSet<>();
    needles.add(PrivacyCorpus.SECRET_UNDER_KEY);
    TestServer server;
    String stored;
    String logged;
    try (ServerLog log = new ServerLog()) {
      server = start();
      try {
        if (!policy.equals("metadata-only")) server.contentPolicy(policy);
        int n = 0;
        for (Seed seed : PrivacyCorpus.SEEDS) {
          String id = seed.value().replaceAll("\\s+", "");
          if (Detectors.detect(id) == null) id = "id-" + n;
          else needles.add(id);
          needles.addAll(seed.needles());
          TestServer.Response r = path.send(server, ++n, seed.value(), id);
          assertAccepted(path, seed, r);
        }
        JsonNode runs = Json.read(server.get("/v1/runs?limit=500").body()).path("runs");
        assertThat(runs.size()).as("%s: every seeded run is stored", path).isEqualTo(PrivacyCorpus.SEEDS.size());
        stored = atRest(server);
        server.server().close();
        stored += afterStop(server);
      } finally {
        server.close();
      }
      logged = log.text();
    }
    List<String> found = new ArrayList<>();
    for (String needle : needles) {
      if (policy.equals("full")) {
        if (stored.contains(needle)) found.add(needle);
        continue;
      }
      if (stored.contains(needle)) found.add(needle + " at rest: " + around(stored, needle));
      if (logged.contains(needle)) found.add(needle + " in the log: " + around(logged, needle));
    }
    return found;
  }

  private static void assertAccepted(IngestPath path, Seed seed, TestServer.Response r) {
    assertThat(r.status()).as("%s %s: %s", path, seed.value(), r.body()).isBetween(200, 299);
    if (r.body() == null || r.body().isEmpty() || !r.body().startsWith("{")) return;
    JsonNode body = Json.read(r.body());
    assertThat(body.path("errors").size()).as("%s %s: %s", path, seed.value(), r.body()).isZero();
    assertThat(body.path("partialSuccess").path("rejectedSpans").asLong())
        .as("%s %s: %s", path, seed.value(), r.body()).isZero();
  }

  private static String around(String text, String needle) {
    int i = text.indexOf(needle);
    return text.substring(Math.max(0, i - 60), Math.min(text.length(), i + needle.length() + 60)).replace('\n', ' ');
  }
}
