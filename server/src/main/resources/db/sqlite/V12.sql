-- The entries that end a step's metadata and describe the span rather than its work (its kind, its
-- instrumentation scope's name and version) repeat over most spans of a service: they are stored
-- once in names and referenced by id, the entries before them stay in metadata. Both are JSON
-- objects; the view steps joins them back into one.
ALTER TABLE step_rows ADD COLUMN metadata_scope_id INTEGER;
DROP VIEW IF EXISTS steps;
CREATE VIEW steps AS
SELECT s.run_key, s.step_id, s.parent_step_id, s.seq,
  (SELECT t.value FROM names t WHERE t.name_id = s.type_id) AS type,
  (SELECT n.value FROM names n WHERE n.name_id = s.name_id) AS name,
  s.start_ns, s.end_ns, s.status, s.attempt, s.retry_of,
  (SELECT m.value FROM names m WHERE m.name_id = s.model_id) AS model,
  (SELECT p.value FROM names p WHERE p.name_id = s.provider_id) AS provider,
  s.input_tokens, s.output_tokens, s.cache_read_tokens, s.reasoning_tokens, s.cost_usd, s.ttft_ms, s.error_type,
  s.error_code, s.error_message,
  CASE WHEN s.metadata_scope_id IS NULL THEN s.metadata
    ELSE (SELECT CASE WHEN s.metadata IS NULL THEN c.value
        ELSE substr(s.metadata, 1, length(s.metadata) - 1) || ',' || substr(c.value, 2) END
      FROM names c WHERE c.name_id = s.metadata_scope_id) END AS metadata,
  s.input, s.output, s.events,
  COALESCE((SELECT z.value FROM names z WHERE z.name_id = s.normalization_id), s.normalization) AS normalization,
  s.cost_computed
FROM step_rows s;
