-- Sextant schema, SQLite dialect. Times are epoch nanoseconds; JSON columns hold text.
CREATE TABLE projects (
  project_id     TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  content_policy TEXT NOT NULL,
  created_ns     INTEGER NOT NULL
);

CREATE TABLE api_keys (
  secret_hash TEXT PRIMARY KEY,
  public_id   TEXT NOT NULL UNIQUE,
  project_id  TEXT NOT NULL,
  scopes      TEXT NOT NULL,
  name        TEXT,
  created_ns  INTEGER NOT NULL
);

CREATE TABLE users (
  username      TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  created_ns    INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  username   TEXT NOT NULL,
  expires_ns INTEGER NOT NULL
);

-- reported_* hold what clients said; the unprefixed columns are derived from them and the steps.
CREATE TABLE runs (
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
  PRIMARY KEY (project_id, run_id)
);
CREATE INDEX runs_by_time ON runs (project_id, start_ns DESC, run_id DESC);
CREATE INDEX runs_by_agent ON runs (project_id, agent_id, agent_version, start_ns DESC);
CREATE INDEX runs_by_status ON runs (project_id, status, start_ns DESC);
CREATE INDEX runs_by_failure ON runs (project_id, failure_type, failure_code, start_ns DESC);
CREATE INDEX runs_by_session ON runs (project_id, session_id, start_ns DESC);
CREATE INDEX runs_by_duration ON runs (project_id, duration_ms DESC, run_id DESC);

CREATE TABLE run_labels (
  project_id TEXT NOT NULL,
  run_id     TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (project_id, run_id, key)
);
CREATE INDEX run_labels_by_value ON run_labels (project_id, key, value);

CREATE TABLE steps (
  project_id        TEXT NOT NULL,
  run_id            TEXT NOT NULL,
  step_id           TEXT NOT NULL,
  parent_step_id    TEXT,
  seq               INTEGER,
  type              TEXT,
  name              TEXT,
  start_ns          INTEGER,
  end_ns            INTEGER,
  duration_ms       REAL,
  status            TEXT,
  attempt           INTEGER,
  retry_of          TEXT,
  model             TEXT,
  provider          TEXT,
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
  PRIMARY KEY (project_id, run_id, step_id)
);
CREATE INDEX steps_by_parent ON steps (project_id, run_id, parent_step_id);
