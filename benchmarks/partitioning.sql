-- Should steps be partitioned by time? Measures, on 10 days x 10 000 runs x 20 steps (2 M steps):
--   1. reading one run's steps (GET /v1/runs/{id}, and the recomputation on every write), which
--      knows the run but not the step's time partition;
--   2. retention: removing the oldest day by DELETE + VACUUM, against DROP of a day partition.
-- Run on an empty scratch database:  psql -X -d scratch -f benchmarks/partitioning.sql
\timing off
SET client_min_messages = warning;
DROP TABLE IF EXISTS steps_flat, steps_part, bench_runs;

CREATE TABLE bench_runs (project_id TEXT, run_id TEXT, day INT, start_ns BIGINT, PRIMARY KEY (project_id, run_id));
INSERT INTO bench_runs
  SELECT 'default', 'run-' || d || '-' || r, d, (1795341600000000000 + d * 86400000000000::bigint + r * 8640000000::bigint)
  FROM generate_series(0, 9) d, generate_series(0, 9999) r;

-- the shipped layout (db/postgres/V1.sql, the columns that matter for size)
CREATE TABLE steps_flat (
  project_id TEXT NOT NULL, run_id TEXT NOT NULL, step_id TEXT NOT NULL, parent_step_id TEXT, seq INT,
  type TEXT, name TEXT, start_ns BIGINT, end_ns BIGINT, duration_ms DOUBLE PRECISION, status TEXT,
  model TEXT, input_tokens BIGINT, output_tokens BIGINT, cost_usd DOUBLE PRECISION,
  PRIMARY KEY (project_id, run_id, step_id));
CREATE INDEX steps_flat_by_parent ON steps_flat (project_id, run_id, parent_step_id);

-- the partitioned alternative: a day column every step must carry, part of the key
CREATE TABLE steps_part (
  project_id TEXT NOT NULL, run_id TEXT NOT NULL, step_id TEXT NOT NULL, day INT NOT NULL, parent_step_id TEXT,
  seq INT, type TEXT, name TEXT, start_ns BIGINT, end_ns BIGINT, duration_ms DOUBLE PRECISION, status TEXT,
  model TEXT, input_tokens BIGINT, output_tokens BIGINT, cost_usd DOUBLE PRECISION,
  PRIMARY KEY (project_id, run_id, step_id, day)) PARTITION BY RANGE (day);
SELECT format('CREATE TABLE steps_part_%s PARTITION OF steps_part FOR VALUES FROM (%s) TO (%s)', d, d, d + 1)
  FROM generate_series(0, 9) d \gexec
CREATE INDEX steps_part_by_parent ON steps_part (project_id, run_id, parent_step_id);

INSERT INTO steps_flat
  SELECT r.project_id, r.run_id, 's' || s, CASE WHEN s > 0 THEN 's0' END, s + 1,
    (ARRAY['plan','llm','tool','retrieval','llm'])[s % 5 + 1], 'step_' || s, r.start_ns + s * 10000000,
    r.start_ns + s * 10000000 + 8000000, 8.0, 'ok', CASE WHEN s % 5 IN (1, 4) THEN 'gpt-4o-mini' END,
    CASE WHEN s % 5 IN (1, 4) THEN 812 END, CASE WHEN s % 5 IN (1, 4) THEN 96 END, CASE WHEN s % 5 IN (1, 4) THEN 0.00018 END
  FROM bench_runs r, generate_series(0, 19) s;
INSERT INTO steps_part
  SELECT f.project_id, f.run_id, f.step_id, r.day, f.parent_step_id, f.seq, f.type, f.name, f.start_ns, f.end_ns,
    f.duration_ms, f.status, f.model, f.input_tokens, f.output_tokens, f.cost_usd
  FROM steps_flat f JOIN bench_runs r USING (project_id, run_id);
VACUUM ANALYZE bench_runs, steps_flat, steps_part;

\echo '== 1. the steps of 2000 random runs, looked up by run (as every read and write of a run does)'
CREATE TEMP TABLE probe AS SELECT project_id, run_id FROM bench_runs ORDER BY hashtext(run_id) LIMIT 2000;
ANALYZE probe;
\timing on
SELECT count(*) FROM probe p JOIN steps_flat s ON s.project_id = p.project_id AND s.run_id = p.run_id;
SELECT count(*) FROM probe p JOIN steps_part s ON s.project_id = p.project_id AND s.run_id = p.run_id;
SELECT count(*) FROM probe p JOIN steps_flat s ON s.project_id = p.project_id AND s.run_id = p.run_id;
SELECT count(*) FROM probe p JOIN steps_part s ON s.project_id = p.project_id AND s.run_id = p.run_id;
\timing off
EXPLAIN (COSTS OFF) SELECT * FROM steps_part WHERE project_id = 'default' AND run_id = 'run-3-17';

\echo '== 2. retention: remove the oldest day (200 000 steps)'
\timing on
DELETE FROM steps_flat s USING bench_runs r
  WHERE r.project_id = s.project_id AND r.run_id = s.run_id AND r.start_ns < 1795341600000000000 + 86400000000000;
VACUUM steps_flat;
DROP TABLE steps_part_0;
\timing off
SELECT pg_size_pretty(pg_total_relation_size('steps_flat')) AS flat_size_after;
DROP TABLE steps_flat, steps_part, bench_runs;
