-- The run indexes that lead with the start time keep it in ascending order (see server/RATIONALE.md,
-- "Run indexes in ascending start order"). In descending order a new run, the latest, went to the
-- front of its range, where SQLite splits a full page in two halves; ascending, it goes to the end,
-- where a full last page is left full and a new one begun. The pages were half empty, and a commit
-- wrote more of them. The run list reads each index backwards for its newest-first order.
DROP INDEX runs_by_time;
CREATE INDEX runs_by_time ON runs (project_id, start_ns, run_id, duration_ms, cost_usd);
DROP INDEX runs_by_agent;
CREATE INDEX runs_by_agent ON runs (project_id, agent_id, agent_version, start_ns, run_id, duration_ms, cost_usd);
DROP INDEX runs_by_status;
CREATE INDEX runs_by_status ON runs (project_id, status, start_ns, run_id, duration_ms, cost_usd);
DROP INDEX runs_by_failure;
CREATE INDEX runs_by_failure ON runs (project_id, failure_type, failure_code, start_ns) WHERE failure_type IS NOT NULL;
DROP INDEX runs_by_session;
CREATE INDEX runs_by_session ON runs (project_id, session_id, start_ns) WHERE session_id IS NOT NULL;
