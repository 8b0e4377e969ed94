-- Rollups: aggregates of runs and of their steps per time bucket, kept up to date by every write
-- (see server/RATIONALE.md, "Rollups"). tier is the bucket width in seconds (60, 3600, 86400),
-- bucket_ns the bucket's start. Dimension columns hold '' for "none" and '=' + value otherwise, so
-- that an absent value and an empty string stay apart inside a primary key. latency holds the
-- run's or step's duration histogram: DDSketch bins with exact counts.
CREATE TABLE rollup_runs (
  project_id     TEXT NOT NULL,
  tier           BIGINT NOT NULL,
  bucket_ns      BIGINT NOT NULL,
  agent_id       TEXT NOT NULL,
  agent_version  TEXT NOT NULL,
  environment    TEXT NOT NULL,
  status         TEXT NOT NULL,
  failure_type   TEXT NOT NULL,
  failure_code   TEXT NOT NULL,
  runs           BIGINT NOT NULL,
  timed          BIGINT NOT NULL,
  duration_ns    BIGINT NOT NULL,
  retries        BIGINT NOT NULL,
  input_tokens   BIGINT NOT NULL,
  output_tokens  BIGINT NOT NULL,
  cost_usd       DOUBLE PRECISION NOT NULL,
  latency        BYTEA,
  PRIMARY KEY (project_id, tier, bucket_ns, agent_id, agent_version, environment, status, failure_type, failure_code)
);

CREATE TABLE rollup_steps (
  project_id     TEXT NOT NULL,
  tier           BIGINT NOT NULL,
  bucket_ns      BIGINT NOT NULL,
  agent_id       TEXT NOT NULL,
  agent_version  TEXT NOT NULL,
  environment    TEXT NOT NULL,
  status         TEXT NOT NULL,
  failure_type   TEXT NOT NULL,
  failure_code   TEXT NOT NULL,
  step_type      TEXT NOT NULL,
  model          TEXT NOT NULL,
  steps          BIGINT NOT NULL,
  errors         BIGINT NOT NULL,
  retries        BIGINT NOT NULL,
  timed          BIGINT NOT NULL,
  duration_ns    BIGINT NOT NULL,
  input_tokens   BIGINT NOT NULL,
  output_tokens  BIGINT NOT NULL,
  cost_usd       DOUBLE PRECISION NOT NULL,
  latency        BYTEA,
  PRIMARY KEY (project_id, tier, bucket_ns, agent_id, agent_version, environment, status, failure_type, failure_code,
    step_type, model)
);

-- Long-running maintenance that must resume where it stopped (the rollup backfill of a database
-- that existed before rollups; later retention): name -> position.
CREATE TABLE maintenance (
  name     TEXT PRIMARY KEY,
  position TEXT
);
INSERT INTO maintenance (name, position) SELECT 'rollup_backfill', '' WHERE EXISTS (SELECT 1 FROM runs);
