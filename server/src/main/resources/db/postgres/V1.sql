-- Sextant schema, PostgreSQL dialect. Same tables and columns as db/sqlite/V1.sql, so the shared
-- SQL runs on both. Times are epoch nanoseconds (BIGINT keeps the nanoseconds that timestamptz
-- would round to microseconds). JSON columns are TEXT: nothing queries inside them, TEXT keeps the
-- key order clients sent and accepts every JSON string, and it skips JSONB's parse on each write.
CREATE TABLE projects (
  project_id     TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  content_policy TEXT NOT NULL,
  created_ns     BIGINT NOT NULL
);

CREATE TABLE api_keys (
  secret_hash TEXT PRIMARY KEY,
  public_id   TEXT NOT NULL UNIQUE,
  project_id  TEXT NOT NULL,
  scopes      TEXT NOT NULL,
  name        TEXT,
  created_ns  BIGINT NOT NULL
);

CREATE TABLE users (
  username      TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  created_ns    BIGINT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  username   TEXT NOT NULL,
  expires_ns BIGINT NOT NULL
);

-- reported_* hold what clients said; the unprefixed columns are derived from them and the steps.
-- Every write rewrites its runs' rows; the free space per page lets many of those updates stay HOT.
CREATE TABLE runs (
  project_id        TEXT NOT NULL,
  run_id            TEXT NOT NULL,
  agent_id          TEXT,
  agent_version     TEXT,
  environment       TEXT,
  name              TEXT,
  session_id        TEXT,
  labels            TEXT,
  reported_start_ns BIGINT,
  reported_end_ns   BIGINT,
  reported_status   TEXT,
  failure_type      TEXT,
  failure_code      TEXT,
  failure_message   TEXT,
  failure_step_id   TEXT,
  metadata          TEXT,
  input             TEXT,
  output            TEXT,
  start_ns          BIGINT NOT NULL DEFAULT 0,
  end_ns            BIGINT,
  status            TEXT NOT NULL DEFAULT 'running',
  duration_ms       DOUBLE PRECISION,
  step_count        INTEGER NOT NULL DEFAULT 0,
  error_count       INTEGER NOT NULL DEFAULT 0,
  retry_count       INTEGER NOT NULL DEFAULT 0,
  input_tokens      BIGINT,
  output_tokens     BIGINT,
  cost_usd          DOUBLE PRECISION,
  PRIMARY KEY (project_id, run_id)
) WITH (fillfactor = 85);
-- GET /v1/runs (newest first, cursor paging), /v1/stats and /v1/timeseries over a time range
CREATE INDEX runs_by_time ON runs (project_id, start_ns DESC, run_id DESC);
-- agent / version filters and /v1/compare, and with environment last also /v1/agents
CREATE INDEX runs_by_agent ON runs (project_id, agent_id, agent_version, environment, start_ns DESC);
CREATE INDEX runs_by_environment ON runs (project_id, environment, start_ns DESC);
CREATE INDEX runs_by_status ON runs (project_id, status, start_ns DESC);
CREATE INDEX runs_by_failure ON runs (project_id, failure_type, failure_code, start_ns DESC);
CREATE INDEX runs_by_session ON runs (project_id, session_id, start_ns DESC);
-- sort=duration orders by exactly this expression, so the index can serve it
CREATE INDEX runs_by_duration ON runs (project_id, (COALESCE(duration_ms, -1)) DESC, run_id DESC);

CREATE TABLE run_labels (
  project_id TEXT NOT NULL,
  run_id     TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (project_id, run_id, key)
);
CREATE INDEX run_labels_by_value ON run_labels (project_id, key, value);

-- The primary key serves a run's steps (GET /v1/runs/{id}, the per-run recomputation, the join
-- of step statistics); steps_by_parent the "has children with usage" test of that recomputation.
CREATE TABLE steps (
  project_id        TEXT NOT NULL,
  run_id            TEXT NOT NULL,
  step_id           TEXT NOT NULL,
  parent_step_id    TEXT,
  seq               INTEGER,
  type              TEXT,
  name              TEXT,
  start_ns          BIGINT,
  end_ns            BIGINT,
  duration_ms       DOUBLE PRECISION,
  status            TEXT,
  attempt           INTEGER,
  retry_of          TEXT,
  model             TEXT,
  provider          TEXT,
  input_tokens      BIGINT,
  output_tokens     BIGINT,
  cache_read_tokens BIGINT,
  reasoning_tokens  BIGINT,
  cost_usd          DOUBLE PRECISION,
  ttft_ms           DOUBLE PRECISION,
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
