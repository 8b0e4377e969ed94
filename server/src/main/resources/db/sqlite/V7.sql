-- Compact steps (see server/RATIONALE.md, "Compact steps"). A run gets an integer key, run_key,
-- and its steps are stored in step_rows under (run_key, step_id), a table without rowid, so a
-- step's row is its primary-key entry: no separate key index, no project or run id repeated in
-- every step. A step's type, name, model and provider are stored once in names and referenced by
-- id. The index on parent_step_id goes (a run's steps are read through the key prefix), and so does
-- the stored step duration, which queries derive from start_ns and end_ns. The view steps shows
-- the rows with their strings, for every query that reads steps.
CREATE TABLE names (
  name_id INTEGER PRIMARY KEY,
  value   TEXT NOT NULL UNIQUE
);
INSERT INTO names (value)
SELECT v FROM (SELECT type AS v FROM steps UNION SELECT name FROM steps UNION SELECT model FROM steps
  UNION SELECT provider FROM steps) WHERE v IS NOT NULL ORDER BY v;

CREATE TABLE runs_v7 (
  run_key           INTEGER PRIMARY KEY,
  project_id        TEXT NOT NULL,
  run_id            TEXT NOT NULL,
  agent_id          TEXT,
  agent_version     TEXT,
  environment       TEXT,
  name              TEXT,
  session_id        TEXT,
  labels            TEXT,
  reported_start_ns INTEGER,
  reported_end_ns   INTEGER,
  reported_status   TEXT,
  failure_type      TEXT,
  failure_code      TEXT,
  failure_message   TEXT,
  failure_step_id   TEXT,
  metadata          TEXT,
  input             TEXT,
  output            TEXT,
  start_ns          INTEGER NOT NULL DEFAULT 0,
  end_ns            INTEGER,
  status            TEXT NOT NULL DEFAULT 'running',
  duration_ms       REAL,
  step_count        INTEGER NOT NULL DEFAULT 0,
  error_count       INTEGER NOT NULL DEFAULT 0,
  retry_count       INTEGER NOT NULL DEFAULT 0,
  input_tokens      INTEGER,
  output_tokens     INTEGER,
  cost_usd          REAL,
  failure_inferred  INTEGER NOT NULL DEFAULT 0,
  UNIQUE (project_id, run_id)
);
INSERT INTO runs_v7 (project_id, run_id, agent_id, agent_version, environment, name, session_id, labels,
  reported_start_ns, reported_end_ns, reported_status, failure_type, failure_code, failure_message, failure_step_id,
  metadata, input, output, start_ns, end_ns, status, duration_ms, step_count, error_count, retry_count, input_tokens,
  output_tokens, cost_usd, failure_inferred)
SELECT project_id, run_id, agent_id, agent_version, environment, name, session_id, labels,
  reported_start_ns, reported_end_ns, reported_status, failure_type, failure_code, failure_message, failure_step_id,
  metadata, input, output, start_ns, end_ns, status, duration_ms, step_count, error_count, retry_count, input_tokens,
  output_tokens, cost_usd, failure_inferred
FROM runs ORDER BY start_ns, project_id, run_id;

CREATE TABLE step_rows (
  run_key           INTEGER NOT NULL,
  step_id           TEXT NOT NULL,
  parent_step_id    TEXT,
  seq               INTEGER,
  type_id           INTEGER,
  name_id           INTEGER,
  start_ns          INTEGER,
  end_ns            INTEGER,
  status            TEXT,
  attempt           INTEGER,
  retry_of          TEXT,
  model_id          INTEGER,
  provider_id       INTEGER,
  input_tokens      INTEGER,
  output_tokens     INTEGER,
  cache_read_tokens INTEGER,
  reasoning_tokens  INTEGER,
  cost_usd          REAL,
  ttft_ms           REAL,
  error_type        TEXT,
  error_code        TEXT,
  error_message     TEXT,
  metadata          TEXT,
  input             TEXT,
  output            TEXT,
  events            TEXT,
  normalization     TEXT,
  PRIMARY KEY (run_key, step_id)
) WITHOUT ROWID;
INSERT INTO step_rows (run_key, step_id, parent_step_id, seq, type_id, name_id, start_ns, end_ns, status, attempt,
  retry_of, model_id, provider_id, input_tokens, output_tokens, cache_read_tokens, reasoning_tokens, cost_usd, ttft_ms, error_type,
  error_code, error_message, metadata, input, output, events, normalization)
SELECT r.run_key, s.step_id, s.parent_step_id, s.seq, t.name_id, n.name_id, s.start_ns, s.end_ns, s.status,
  s.attempt, s.retry_of, m.name_id, p.name_id, s.input_tokens, s.output_tokens, s.cache_read_tokens, s.reasoning_tokens,
  s.cost_usd, s.ttft_ms, s.error_type, s.error_code, s.error_message, s.metadata, s.input, s.output, s.events,
  s.normalization
FROM steps s JOIN runs_v7 r ON r.project_id = s.project_id AND r.run_id = s.run_id
  LEFT JOIN names t ON t.value = s.type LEFT JOIN names n ON n.value = s.name
  LEFT JOIN names m ON m.value = s.model LEFT JOIN names p ON p.value = s.provider
ORDER BY r.run_key, s.step_id;

DROP TABLE steps;
DROP TABLE runs;
ALTER TABLE runs_v7 RENAME TO runs;
CREATE INDEX runs_by_time ON runs (project_id, start_ns DESC, run_id DESC);
CREATE INDEX runs_by_agent ON runs (project_id, agent_id, agent_version, start_ns DESC);
CREATE INDEX runs_by_status ON runs (project_id, status, start_ns DESC);
CREATE INDEX runs_by_failure ON runs (project_id, failure_type, failure_code, start_ns DESC);
CREATE INDEX runs_by_session ON runs (project_id, session_id, start_ns DESC);
CREATE INDEX runs_by_duration ON runs (project_id, duration_ms DESC, run_id DESC);

-- Each string is a subquery of its own, which both planners leave out when the query does not use it.
CREATE VIEW steps AS
SELECT s.run_key, s.step_id, s.parent_step_id, s.seq,
  (SELECT t.value FROM names t WHERE t.name_id = s.type_id) AS type,
  (SELECT n.value FROM names n WHERE n.name_id = s.name_id) AS name,
  s.start_ns, s.end_ns, s.status, s.attempt, s.retry_of,
  (SELECT m.value FROM names m WHERE m.name_id = s.model_id) AS model,
  (SELECT p.value FROM names p WHERE p.name_id = s.provider_id) AS provider,
  s.input_tokens, s.output_tokens, s.cache_read_tokens, s.reasoning_tokens, s.cost_usd, s.ttft_ms, s.error_type,
  s.error_code, s.error_message, s.metadata, s.input, s.output, s.events, s.normalization
FROM step_rows s;
