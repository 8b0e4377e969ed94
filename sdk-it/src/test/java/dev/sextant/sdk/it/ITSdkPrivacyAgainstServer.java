package dev.sextant.sdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.integrations.testing.SextantServer;
import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.Step;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Personal data and secrets handed to the SDK in every field neither leave the process nor reach
 * the real server's database files; the run is still stored and readable.
 */
class ITSdkPrivacyAgainstServer {

  @RegisterExtension
  static final SextantServer server = new SextantServer();

  private static final List<String> SEEDS = List.of("+14155550100", "+44 20 7946 0958", "jane.doe@example.com",
      "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00", "203.0.113.42", "AKIAIOSFODNN7EXAMPLE",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N");

  @Test
  void seededRuns_leaveNothingAtRest() throws Exception {
    Sextant sextant = Sextant.builder().agent("privacy-agent").endpoint(server.endpoint()).apiKey(SextantServer.API_KEY)
        .shutdownHook(false).mode(Sextant.Mode.INLINE).build();
    int n = 0;
    for (String seed : SEEDS) {
      try (Run run = sextant.startRun("run for " + seed)) {
        run.sessionId(seed).label("user", seed).metadata("phone", seed).metadata("password", "hunter2-horse");
        try (Step step = run.step("tool", "call " + seed)) {
          step.metadata("contact", seed).model(seed).emit("event " + seed, Map.of("who", seed))
              .error("tool", "timeout", "failed for " + seed);
        }
        run.recordFailure("tool", "timeout", "failed for " + seed);
      }
      n++;
    }
    sextant.close();

    JsonNode runs = server.get("/v1/runs?agent=privacy-agent&limit=100").get("runs");
    assertThat(runs.size()).isEqualTo(n);
    String stored = files(server.dataDir());
    for (String seed : SEEDS) assertThat(stored).doesNotContain(seed);
    assertThat(stored).doesNotContain("hunter2-horse");
  }

  private static String files(Path dir) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    return out.toString();
  }
}
