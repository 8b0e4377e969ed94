package dev.sextant.store;

import java.util.List;
import java.util.Optional;

/** Scores attached to runs and steps. */
public interface ScoreStore {
  /** Inserts each score, replacing the one with the same id in the project. */
  void putScores(String projectId, List<Score> scores);

  /** The project's scores matching {@code query}, newest first. */
  List<Score> scores(String projectId, ScoreQuery query);

  Optional<Score> score(String projectId, String scoreId);

  /** Deletes the scores of the given runs (retention deleted them). */
  void deleteScoresOfRuns(String projectId, java.util.Collection<String> runIds);
}
