package dev.sextant.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.ingest.Pseudonyms;
import dev.sextant.ingest.Scrubber;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Json;
import dev.sextant.model.StepError;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.store.Project;
import dev.sextant.store.Store;
import dev.sextant.store.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The server's cost of applying a content policy to one step ({@code Scrubber}, every string of the
 * record through the detectors). Each invocation scrubs four typical decoded steps — an LLM call, a
 * tool call that failed, a retrieval, an agent step with an event — and the figure is per step.
 * {@code withPersonalData} adds a session-like e-mail in metadata, a phone number in a step name and
 * a card number in an error message to each step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScrubberBenchmark {
  private static final int STEPS = 4;

  private Path dir;
  private Store store;
  private Scrubber scrubber;
  private final Project metadataOnly = new Project("bench", "bench", ContentPolicy.METADATA_ONLY, Instant.EPOCH);
  private final Project redacted = new Project("bench", "bench", ContentPolicy.REDACTED, Instant.EPOCH);
  private List<StepRecord> clean;
  private List<StepRecord> personal;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("sextant-scrubber-bench");
    store = SqliteStore.builder().file(dir.resolve("bench.db")).build();
    store.migrate();
    scrubber = new Scrubber(new Pseudonyms(store, Pseudonyms.randomSecrets()));
    clean = steps(false);
    personal = steps(true);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    store.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * The floor under the same load: each step rebuilt with a deep copy of its metadata and events,
   * no detector run. The difference to {@link #metadataOnly} is what the detectors cost.
   */
  @Benchmark
  @OperationsPerInvocation(STEPS)
  public void copyWithoutDetectors(Blackhole bh) {
    for (StepRecord s : clean) {
      List<StepEvent> events = new java.util.ArrayList<>(s.events().size());
      for (StepEvent e : s.events()) events.add(new StepEvent(e.name(), e.timeNanos(), e.attributes().deepCopy()));
      bh.consume(s.toBuilder().metadata(s.metadata().deepCopy()).input(null).output(null).events(events)
          .normalization(new java.util.LinkedHashMap<>(s.normalization())).build());
    }
  }

  @Benchmark
  @OperationsPerInvocation(STEPS)
  public void metadataOnly(Blackhole bh) {
    for (StepRecord s : clean) bh.consume(scrubber.apply(metadataOnly, s));
  }

  @Benchmark
  @OperationsPerInvocation(STEPS)
  public void metadataOnlyWithPersonalData(Blackhole bh) {
    for (StepRecord s : personal) bh.consume(scrubber.apply(metadataOnly, s));
  }

  @Benchmark
  @OperationsPerInvocation(STEPS)
  public void redacted(Blackhole bh) {
    for (StepRecord s : clean) bh.consume(scrubber.apply(redacted, s));
  }

  private static List<StepRecord> steps(boolean pii) {
    String run = "4bf92f3577b34da6a3ce929d0e0e4736";
    String email = pii ? ",\"user_id\":\"jane.doe@example.com\"" : "";
    JsonNode messages = Json.read("[{\"role\":\"system\",\"content\":\"You are a support agent for ACME billing.\"},"
        + "{\"role\":\"user\",\"content\":\"Why was invoice INV-2291 charged twice this month?\"}]");
    return List.of(
        step(run, "00f067aa0ba902b7", null, "llm", "chat gpt-4o-2024-08-06", "gpt-4o-2024-08-06", "openai", null,
            meta("{\"gen_ai.operation.name\":\"chat\",\"gen_ai.response.id\":\"chatcmpl-9x8Y7z6W5v4U3t2S1r0Q\","
                + "\"gen_ai.response.finish_reasons\":[\"stop\"],\"server.address\":\"api.openai.com\","
                + "\"temperature\":0.2" + email + "}"),
            messages, List.of(), Map.of("type", "gen_ai.operation.name=chat", "model", "gen_ai.request.model",
                "tokens", "gen_ai.usage.input_tokens")),
        step(run, "00f067aa0ba902b8", "00f067aa0ba902b7", "tool", pii ? "call +1 (415) 555-0100" : "billing_api",
            null, null, new StepError("tool", "timeout", pii ? "card 4111 1111 1111 1111 declined" : "timed out"),
            meta("{\"http.status_code\":504,\"http.method\":\"GET\",\"url.path\":\"/v1/invoices:search\","
                + "\"tool.name\":\"billing_api\",\"retry\":1" + email + "}"),
            Json.read("{\"invoice\":\"INV-2291\"}"), List.of(), Map.of("type", "sextant.step.type")),
        step(run, "00f067aa0ba902b9", "00f067aa0ba902b7", "retrieval", "search_kb", "text-embedding-3-large",
            "openai", null, meta("{\"db.system\":\"pgvector\",\"top_k\":5,\"collection\":\"kb-articles-v3\"" + email
                + "}"), Json.read("\"duplicate charge refund policy\""), List.of(), Map.of()),
        step(run, "00f067aa0ba902ba", null, "agent", "support-agent", null, null, null,
            meta("{\"agent.version\":\"v2.3.0\",\"deployment.environment\":\"production\"" + email + "}"), null,
            List.of(new StepEvent("tool_call", 1L, meta("{\"tool\":\"billing_api\",\"call_id\":"
                + "\"call_abc123DEF456ghi789\"}"))), Map.of("type", "openinference.span.kind=AGENT")));
  }

  private static ObjectNode meta(String json) {
    return (ObjectNode) Json.read(json);
  }

  private static StepRecord step(String run, String id, String parent, String type, String name, String model,
      String provider, StepError error, ObjectNode metadata, JsonNode input, List<StepEvent> events,
      Map<String, String> notes) {
    return StepRecord.builder(run, id).parentStepId(parent).seq(1).type(type).name(name).startNanos(1L).endNanos(2L)
        .status(error == null ? StepStatus.OK : StepStatus.ERROR).attempt(1).model(model).provider(provider)
        .inputTokens(120L).outputTokens(40L).costUsd(0.0012).error(error).metadata(metadata).input(input)
        .events(events).normalization(notes).build();
  }
}
