-- Scores and feedback (POST /v1/scores, LangSmith /feedback, Langfuse scores) per run or step.
CREATE TABLE scores (
  project_id   TEXT NOT NULL,
  score_id     TEXT NOT NULL,
  run_id       TEXT NOT NULL,
  step_id      TEXT,
  name         TEXT NOT NULL,
  value        DOUBLE PRECISION,
  string_value TEXT,
  comment      TEXT,
  source       TEXT NOT NULL,
  metadata     TEXT,
  created_ns   BIGINT NOT NULL,
  PRIMARY KEY (project_id, score_id)
);
-- a run's scores (GET /v1/scores?run_id=, retention) and the score filter of GET /v1/runs
CREATE INDEX scores_by_run ON scores (project_id, run_id, name, value);
CREATE INDEX scores_by_time ON scores (project_id, created_ns DESC, score_id DESC);
