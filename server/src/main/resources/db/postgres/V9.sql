-- Costs computed from a price table: which step costs were computed (1) rather than sent (NULL),
-- per-project model prices, an index for the most expensive runs, and the sum of squared run costs
-- in the run rollups (NULL in rows written before: their spread is unknown).
ALTER TABLE step_rows ADD COLUMN cost_computed SMALLINT;
DROP VIEW steps;
CREATE VIEW steps AS
SELECT s.run_key, s.step_id, s.parent_step_id, s.seq,
  (SELECT t.value FROM names t WHERE t.name_id = s.type_id) AS type,
  (SELECT n.value FROM names n WHERE n.name_id = s.name_id) AS name,
  s.start_ns, s.end_ns, s.status, s.attempt, s.retry_of,
  (SELECT m.value FROM names m WHERE m.name_id = s.model_id) AS model,
  (SELECT p.value FROM names p WHERE p.name_id = s.provider_id) AS provider,
  s.input_tokens, s.output_tokens, s.cache_read_tokens, s.reasoning_tokens, s.cost_usd, s.ttft_ms, s.error_type,
  s.error_code, s.error_message, s.metadata, s.input, s.output, s.events, s.normalization, s.cost_computed
FROM step_rows s;
CREATE TABLE model_prices (
  project_id     TEXT NOT NULL,
  model          TEXT NOT NULL,
  effective_from TEXT NOT NULL,
  provider       TEXT,
  input          DOUBLE PRECISION NOT NULL,
  output         DOUBLE PRECISION NOT NULL,
  cached_input   DOUBLE PRECISION,
  reasoning      DOUBLE PRECISION,
  PRIMARY KEY (project_id, model, effective_from)
);
CREATE INDEX runs_by_cost ON runs (project_id, (COALESCE(cost_usd, -1)) DESC, run_id DESC);
ALTER TABLE rollup_runs ADD COLUMN cost_sq_usd DOUBLE PRECISION;
