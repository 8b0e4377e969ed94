package dev.sextant.store;

import static dev.sextant.store.Records.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Json;
import dev.sextant.model.RunStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scores in the store: kept, replaced by id, listed, filtering runs, and expiring with their run. */
public abstract class ScoreConformance {
  private static final Instant T = Instant.parse("2026-11-22T10:00:00.123456789Z");
  protected Store store;

  protected abstract Store newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    store.migrate();
    for (String p : List.of("a", "b")) store.putProject(new Project(p, p, ContentPolicy.METADATA_ONLY, T));
    store.write(List.of(new WriteBatch("a", List.of(
        run("r1", "agent", "v1", 0, 1000.0, RunStatus.SUCCESS),
        run("r2", "agent", "v1", 2000, 3000.0, RunStatus.SUCCESS),
        run("r3", "agent", "v1", 4000, 5000.0, RunStatus.SUCCESS)), List.of())));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Score score(String id, String run, String step, String name, Double value, String category, int s) {
    ObjectNode metadata = Json.object().put("k", "v");
    return new Score(id, run, step, name, value, category, "a comment", "api", metadata, T.plusSeconds(s));
  }

  @Test
  void scores_roundTrip_replaceById_listNewestFirst_perProject() {
    Score s1 = score("s1", "r1", null, "accuracy", 0.9, null, 1);
    Score s2 = score("s2", "r1", "step-1", "label", null, "correct", 2);
    store.putScores("a", List.of(s1, s2));
    store.putScores("b", List.of(score("s1", "other", null, "accuracy", 0.1, null, 1)));
    assertThat(store.score("a", "s2")).contains(s2);
    assertThat(store.scores("a", new ScoreQuery(List.of("r1"), List.of(), List.of(), 10, 0))).containsExactly(s2, s1);
    Score replaced = score("s1", "r1", null, "accuracy", 0.5, null, 3);
    store.putScores("a", List.of(replaced));
    assertThat(store.scores("a", new ScoreQuery(List.of(), List.of("accuracy"), List.of(), 10, 0)))
        .containsExactly(replaced);
    assertThat(store.scores("a", new ScoreQuery(List.of(), List.of(), List.of(), 1, 1))).containsExactly(s2);
    assertThat(store.scores("b", new ScoreQuery(List.of("r1"), List.of(), List.of(), 10, 0))).isEmpty();
    assertThat(store.score("b", "s2")).isEmpty();
  }

  @Test
  void runsFilter_byScoreNameAndBounds() {
    store.putScores("a", List.of(score("s1", "r1", null, "accuracy", 0.9, null, 1),
        score("s2", "r2", "x", "accuracy", 0.2, null, 1), score("s3", "r3", null, "label", null, "bad", 1)));
    assertThat(runIds(List.of(new RunQuery.ScoreFilter("accuracy", null, null)))).containsExactly("r2", "r1");
    assertThat(runIds(List.of(new RunQuery.ScoreFilter("accuracy", 0.5, null)))).containsExactly("r1");
    assertThat(runIds(List.of(new RunQuery.ScoreFilter("accuracy", null, 0.5)))).containsExactly("r2");
    assertThat(runIds(List.of(new RunQuery.ScoreFilter("accuracy", 0.2, 0.2)))).containsExactly("r2");
    assertThat(runIds(List.of(new RunQuery.ScoreFilter("label", null, null)))).containsExactly("r3");
    assertThat(runIds(List.of(new RunQuery.ScoreFilter("label", 0.0, null)))).isEmpty();
    RunQuery q = filter(List.of(new RunQuery.ScoreFilter("accuracy", null, null)));
    assertThat(store.statsFromRows("a", q).runs().total()).isEqualTo(2);
    assertThat(store.stats("a", q).runs().total()).isEqualTo(2);
  }

  @Test
  void expiringARun_deletesItsScores() {
    store.putScores("a", List.of(score("s1", "r1", null, "accuracy", 0.9, null, 1),
        score("s3", "r3", null, "accuracy", 0.1, null, 1)));
    assertThat(store.expireRuns("a", Records.at(1000), 10)).isEqualTo(1);
    assertThat(store.scores("a", new ScoreQuery(List.of(), List.of(), List.of(), 10, 0)))
        .extracting(Score::scoreId).containsExactly("s3");
  }

  private RunQuery filter(List<RunQuery.ScoreFilter> scores) {
    RunQuery all = RunQuery.all();
    return new RunQuery(null, null, null, null, null, null, null, List.of(), null, null, null, null, null,
        all.sort(), 50, null, scores);
  }

  private List<String> runIds(List<RunQuery.ScoreFilter> scores) {
    return store.listRuns("a", filter(scores)).runs().stream().map(RunSummary::runId).toList();
  }
}
