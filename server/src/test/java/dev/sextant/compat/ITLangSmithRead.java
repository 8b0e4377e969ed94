package dev.sextant.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real {@code langsmith} 0.12.0 npm package reads back what it traced: {@code readRun},
 * {@code listRuns} by project and by trace, {@code createFeedback} (direct and batched),
 * {@code listFeedback} and {@code readFeedback}, all answered from Sextant's store.
 */
class ITLangSmithRead {
  @Test
  void readCalls_answerFromTheStore() {
    try (TestServer server = TestServer.start()) {
      server.contentPolicy("full");
      JsonNode out = Sdk.run(server, "langsmith-read.mjs", Map.of("SEXTANT_PROJECT", "read-agent"));
      String root = out.at("/ids/root").asText();
      String tool = out.at("/ids/tool").asText();

      JsonNode run = out.path("readRun");
      assertThat(run.path("id").asText()).isEqualTo(root);
      assertThat(run.path("name").asText()).isEqualTo("answer_question");
      assertThat(run.path("run_type").asText()).isEqualTo("chain");
      assertThat(run.path("status").asText()).isEqualTo("success");
      assertThat(run.path("trace_id").asText()).isEqualTo(root);
      assertThat(run.at("/inputs/input").asText()).isEqualTo("what is six times seven?");
      assertThat(run.at("/outputs/answer").asText()).isEqualTo("42");
      assertThat(run.path("end_time").asText()).endsWith("Z");

      assertThat(ids(out.path("byProject"))).containsExactly(root);
      assertThat(ids(out.path("byTrace"))).containsExactlyInAnyOrder(root, tool);
      for (JsonNode r : out.path("byTrace")) {
        if (!r.path("id").asText().equals(tool)) continue;
        assertThat(r.path("run_type").asText()).isEqualTo("tool");
        assertThat(r.path("parent_run_id").asText()).isEqualTo(root);
        assertThat(r.at("/outputs/hits").asInt()).isEqualTo(2);
      }

      String direct = out.at("/feedbackIds/direct").asText();
      assertThat(out.path("feedbackOfRoot")).hasSize(1);
      JsonNode f = out.path("feedbackOfRoot").get(0);
      assertThat(f.path("id").asText()).isEqualTo(direct);
      assertThat(f.path("key").asText()).isEqualTo("correctness");
      assertThat(f.path("score").asDouble()).isEqualTo(0.8);
      assertThat(f.path("comment").asText()).isEqualTo("right answer");
      assertThat(out.path("feedbackHelpful")).hasSize(1);
      JsonNode helpful = out.path("feedbackHelpful").get(0);
      assertThat(helpful.path("id").asText()).isEqualTo(out.at("/feedbackIds/batched").asText());
      assertThat(helpful.path("run_id").asText()).isEqualTo(tool);
      assertThat(helpful.path("score").asDouble()).isEqualTo(1.0);
      assertThat(out.at("/readFeedback/id").asText()).isEqualTo(direct);
      assertThat(out.at("/rootAfterFeedback/feedback_stats/correctness/n").asInt()).isEqualTo(1);
      assertThat(out.at("/rootAfterFeedback/feedback_stats/correctness/avg").asDouble()).isEqualTo(0.8);

      // the same feedback, as Sextant scores: listed and filtering the runs list
      JsonNode scores = Sdk.get(server, "/v1/scores?run_id=" + root);
      assertThat(scores.path("scores")).hasSize(2);
      JsonNode byScore = Sdk.get(server, "/v1/runs?score=correctness%3E%3D0.5");
      assertThat(ids(byScore.path("runs"), "run_id")).containsExactly(root);
      assertThat(Sdk.get(server, "/v1/runs?score=correctness%3C%3D0.5").path("runs")).isEmpty();
      assertThat(Sdk.get(server, "/v1/runs?score=helpful").path("runs")).hasSize(1);
    }
  }

  private static List<String> ids(JsonNode runs) {
    return ids(runs, "id");
  }

  private static List<String> ids(JsonNode runs, String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : runs) out.add(r.path(field).asText());
    return out;
  }
}
