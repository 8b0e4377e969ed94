-- A step's normalization (which attribute of which dialect filled each field) is stored once in
-- names and referenced by id: a few distinct maps repeat over millions of spans. Rows written before
-- keep their text in normalization; the view steps shows whichever the row has.
ALTER TABLE step_rows ADD COLUMN normalization_id INTEGER;
DROP VIEW IF EXISTS steps;
CREATE VIEW steps AS
SELECT s.run_key, s.step_id, s.parent_step_id, s.seq,
  (SELECT t.value FROM names t WHERE t.name_id = s.type_id) AS type,
  (SELECT n.value FROM names n WHERE n.name_id = s.name_id) AS name,
  s.start_ns, s.end_ns, s.status, s.attempt, s.retry_of,
  (SELECT m.value FROM names m WHERE m.name_id = s.model_id) AS model,
  (SELECT p.value FROM names p WHERE p.name_id = s.provider_id) AS provider,
  s.input_tokens, s.output_tokens, s.cache_read_tokens, s.reasoning_tokens, s.cost_usd, s.ttft_ms, s.error_type,
  s.error_code, s.error_message, s.metadata, s.input, s.output, s.events,
  COALESCE((SELECT z.value FROM names z WHERE z.name_id = s.normalization_id), s.normalization) AS normalization,
  s.cost_computed
FROM step_rows s;
